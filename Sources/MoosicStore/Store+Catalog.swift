import GRDB
import MoosicCore
import MoosicML

/// Catalog look-up in the store: by Spotify id, else by ISRC (only where the catalog has ISRCs:
/// the Spotify Tracks dataset has none), else by normalised first artist + title (TrackMatchKey).
extension Store: CatalogRepository {
    public func features(for track: LibraryTrack) throws -> AudioFeatures? {
        try read { db in
            guard let id = try Self.catalogTrackID(for: track, db) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT \(Self.featureColumns.joined(separator: ", ")) FROM track WHERE id = ?",
                                    arguments: [id]).map(Self.features)
        }
    }

    /// The P(energetic) and catalog genres of every library track the catalog has (found as
    /// `catalogTrackID` finds it, each catalog track once); one read for the whole library.
    public func listenerArousal(of library: [LibraryTrack]) throws -> ListenerArousal {
        try read { db in
            let arousal = try db.makeStatement(sql: "SELECT arousal FROM track WHERE id = ? AND arousal IS NOT NULL")
            let genres = try db.makeStatement(sql: "SELECT genre FROM track_genre WHERE track_id = ? ORDER BY genre")
            var samples: [(genres: [String], arousal: Double)] = []
            var seen = Set<String>()
            for track in library {
                guard let id = try Self.catalogTrackID(for: track, db), seen.insert(id).inserted,
                      let value = try Double.fetchOne(arousal, arguments: [id]) else { continue }
                samples.append((try String.fetchAll(genres, arguments: [id]), value))
            }
            return ListenerArousal(samples: samples)
        }
    }

    /// Gives a catalog track its ISRC (the Spotify Tracks dataset has none; tests give some).
    package func recordISRC(_ isrc: String, track id: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE track SET isrc = ? WHERE id = ?", arguments: [isrc.uppercased(), id])
        }
    }

    static func features(_ row: Row) -> AudioFeatures {
        AudioFeatures(danceability: row["danceability"], energy: row["energy"], key: row["key"],
                      loudness: row["loudness"], mode: row["mode"], speechiness: row["speechiness"],
                      acousticness: row["acousticness"], instrumentalness: row["instrumentalness"],
                      liveness: row["liveness"], valence: row["valence"], tempo: row["tempo"])
    }
}
