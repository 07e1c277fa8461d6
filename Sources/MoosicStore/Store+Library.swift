import Foundation
import GRDB
import MoosicCore
import MoosicML

extension Store: LibraryRepository {
    public func syncedPlaylists(user: String) throws -> [String: SyncedPlaylistState] {
        try read { db in
            var result: [String: SyncedPlaylistState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT playlist_id, snapshot_id, items_status FROM library_playlist WHERE user_id = ?",
                                        arguments: [user]) {
                result[row["playlist_id"]] = SyncedPlaylistState(snapshotID: row["snapshot_id"], itemsStatus: row["items_status"])
            }
            return result
        }
    }

    public func saveLibrary(_ library: SyncedLibrary) throws {
        let user = library.user
        let timestamp = Self.timestamp(library.syncedAt)
        try write { db in
            try db.execute(sql: """
                INSERT INTO user_profile (id, display_name, created_at, last_sync_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, last_sync_at = excluded.last_sync_at
                """, arguments: [user, library.displayName, timestamp, timestamp])
            let current = Set(library.playlists.map(\.id))
            for gone in try String.fetchAll(db, sql: "SELECT playlist_id FROM library_playlist WHERE user_id = ?", arguments: [user])
            where !current.contains(gone) {
                try db.execute(sql: "DELETE FROM library_playlist WHERE user_id = ? AND playlist_id = ?", arguments: [user, gone])
            }
            for playlist in library.playlists {
                try db.execute(sql: """
                    INSERT INTO library_playlist (user_id, playlist_id, name, owner_id, collaborative, snapshot_id, items_status, synced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(user_id, playlist_id) DO UPDATE SET name = excluded.name, owner_id = excluded.owner_id,
                        collaborative = excluded.collaborative, snapshot_id = excluded.snapshot_id,
                        items_status = excluded.items_status, synced_at = excluded.synced_at
                    """, arguments: [user, playlist.id, playlist.name, playlist.ownerID, playlist.collaborative,
                                     playlist.state.snapshotID, playlist.state.itemsStatus, timestamp])
                guard let items = playlist.items else { continue }
                try db.execute(sql: "DELETE FROM library_playlist_item WHERE user_id = ? AND playlist_id = ?",
                               arguments: [user, playlist.id])
                for item in items {
                    try db.execute(sql: """
                        INSERT INTO library_playlist_item (user_id, playlist_id, position, track_id, name, artists, isrc, added_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [user, playlist.id, item.position, item.track.id, item.track.name,
                                         item.track.artists, item.track.isrc, item.addedAt])
                }
            }
            try db.execute(sql: "DELETE FROM liked_track WHERE user_id = ?", arguments: [user])
            for (track, addedAt) in library.liked {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO liked_track (user_id, track_id, name, artists, isrc, added_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [user, track.id, track.name, track.artists, track.isrc, addedAt])
            }
        }
    }

    /// When the user's library was last synced; nil before the first sync.
    package func lastSync(user: String) throws -> Date? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT last_sync_at FROM user_profile WHERE id = ?", arguments: [user]).flatMap(Self.date)
        }
    }

    /// Every distinct track of a user's synced library: playlist items first, then Liked Songs;
    /// moosic's own playlist is left out.
    public func libraryTracks(user: String) throws -> [LibraryTrack] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT track_id, name, artists, isrc FROM (
                    SELECT track_id, name, artists, isrc, 0 AS source, playlist_id AS k1, position AS k2
                        FROM library_playlist_item WHERE user_id = ?
                        -- Not moosic's own playlist: its songs are moosic's picks, not the listener's taste,
                        -- and counting them would feed every playlist back into the next profile.
                        AND playlist_id NOT IN (SELECT spotify_id FROM generated_playlist WHERE user_id = ?)
                    UNION ALL
                    SELECT track_id, name, artists, isrc, 1, added_at, track_id FROM liked_track WHERE user_id = ?
                ) ORDER BY source, k1, k2
                """, arguments: [user, user, user])
            var seen = Set<String>()
            return rows.compactMap { row in
                let id: String = row["track_id"]
                guard seen.insert(id).inserted else { return nil }
                return LibraryTrack(id: id, name: row["name"], artists: row["artists"], isrc: row["isrc"])
            }
        }
    }
}
