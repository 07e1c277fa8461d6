import GRDB

/// A song in a user's Spotify library (their playlists' items and Liked Songs), as synced into the
/// store. Its id may or may not be in the catalog; `isrc` and artist + title help find it there.
public struct LibraryTrack: Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
    /// Artist names joined by ";" as in the catalog.
    public var artists: String
    public var isrc: String?

    public init(id: String, name: String, artists: String, isrc: String? = nil) {
        self.id = id
        self.name = name
        self.artists = artists
        self.isrc = isrc
    }
}

extension Store {
    /// Every distinct track of a user's synced library: playlist items first, then Liked Songs.
    public func libraryTracks(user: String) throws -> [LibraryTrack] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT track_id, name, artists, isrc FROM (
                    SELECT track_id, name, artists, isrc, 0 AS source, playlist_id AS k1, position AS k2
                        FROM library_playlist_item WHERE user_id = ?
                    UNION ALL
                    SELECT track_id, name, artists, isrc, 1, added_at, track_id FROM liked_track WHERE user_id = ?
                ) ORDER BY source, k1, k2
                """, arguments: [user, user])
            var seen = Set<String>()
            return rows.compactMap { row in
                let id: String = row["track_id"]
                guard seen.insert(id).inserted else { return nil }
                return LibraryTrack(id: id, name: row["name"], artists: row["artists"], isrc: row["isrc"])
            }
        }
    }
}
