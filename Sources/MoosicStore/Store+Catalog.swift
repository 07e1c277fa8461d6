import GRDB
import MoosicCore
import MoosicML

/// Catalog look-up in the store: by Spotify id, else by ISRC (only where the catalog has ISRCs:
/// the Spotify Tracks dataset has none), else by normalised first artist + title (TrackMatchKey).
extension Store: CatalogRepository {
    public func features(for track: LibraryTrack) throws -> AudioFeatures? {
        try read { db in
            let columns = "danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo"
            if let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM track WHERE id = ?", arguments: [track.id]) {
                return Self.features(row)
            }
            if let isrc = track.isrc, !isrc.isEmpty,
               let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM track WHERE isrc = ? ORDER BY id LIMIT 1",
                                          arguments: [isrc.uppercased()]) {
                return Self.features(row)
            }
            let key = TrackMatchKey.make(artists: track.artists, name: track.name)
            if let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM track WHERE match_key = ? ORDER BY popularity DESC, id LIMIT 1",
                                          arguments: [key]) {
                return Self.features(row)
            }
            return nil
        }
    }

    /// The P(energetic) and catalog genres of every library track the catalog has, found by id, else
    /// ISRC, else first artist + title, as `features(for:)` finds them; one read for the whole library.
    public func listenerEnergy(of library: [LibraryTrack]) throws -> ListenerEnergy {
        try read { db in
            let byID = try db.makeStatement(sql: "SELECT id, arousal FROM track WHERE id = ? AND arousal IS NOT NULL")
            let byISRC = try db.makeStatement(sql: "SELECT id, arousal FROM track WHERE isrc = ? AND arousal IS NOT NULL ORDER BY id LIMIT 1")
            let byKey = try db.makeStatement(sql: """
                SELECT id, arousal FROM track WHERE match_key = ? AND arousal IS NOT NULL ORDER BY popularity DESC, id LIMIT 1
                """)
            let genres = try db.makeStatement(sql: "SELECT genre FROM track_genre WHERE track_id = ? ORDER BY genre")
            var samples: [(genres: [String], arousal: Double)] = []
            var seen = Set<String>()
            for track in library {
                var row = try Row.fetchOne(byID, arguments: [track.id])
                if row == nil, let isrc = track.isrc, !isrc.isEmpty { row = try Row.fetchOne(byISRC, arguments: [isrc.uppercased()]) }
                if row == nil { row = try Row.fetchOne(byKey, arguments: [TrackMatchKey.make(artists: track.artists, name: track.name)]) }
                guard let row, let id: String = row["id"], seen.insert(id).inserted else { continue }
                samples.append((try String.fetchAll(genres, arguments: [id]), row["arousal"]))
            }
            return ListenerEnergy(samples: samples)
        }
    }

    /// Gives a catalog track its ISRC (the Spotify Tracks dataset has none; tests give some).
    package func recordISRC(_ isrc: String, track id: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE track SET isrc = ? WHERE id = ?", arguments: [isrc.uppercased(), id])
        }
    }

    private static func features(_ row: Row) -> AudioFeatures {
        AudioFeatures(danceability: row["danceability"], energy: row["energy"], key: row["key"],
                      loudness: row["loudness"], mode: row["mode"], speechiness: row["speechiness"],
                      acousticness: row["acousticness"], instrumentalness: row["instrumentalness"],
                      liveness: row["liveness"], valence: row["valence"], tempo: row["tempo"])
    }
}
