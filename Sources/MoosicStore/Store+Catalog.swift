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
