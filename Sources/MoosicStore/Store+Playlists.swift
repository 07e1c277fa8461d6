import Foundation
import GRDB
import MoosicCore
import MoosicML

extension Store: PlaylistRepository {
    /// The id of the user's moosic playlist (a Spotify id, or `local:<user>` when written offline).
    public func generatedPlaylistID(user: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT spotify_id FROM generated_playlist WHERE user_id = ?", arguments: [user])
        }
    }

    /// The track ids of the user's moosic playlist, in order.
    public func generatedPlaylistTracks(user: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT track_id FROM generated_playlist_track WHERE user_id = ? ORDER BY position",
                                arguments: [user])
        }
    }

    /// Why each song of the user's moosic playlist is there, in order (nil until annotated).
    package func generatedPlaylistReasons(user: String) throws -> [String?] {
        try read { db in
            try String?.fetchAll(db, sql: "SELECT reason FROM generated_playlist_track WHERE user_id = ? ORDER BY position",
                                 arguments: [user])
        }
    }

    public func pendingPlaylist(user: String) throws -> (name: String, description: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, description FROM spotify_pending_playlist WHERE user_id = ?", arguments: [user])
                .map { ($0["name"], $0["description"]) }
        }
    }

    public func recordPendingPlaylist(user: String, name: String, description: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO spotify_pending_playlist (user_id, name, description, started_at) VALUES (?, ?, ?, ?)
                """, arguments: [user, name, description, Self.timestamp(date)])
        }
    }

    public func recordCreatedPlaylist(user: String, id: String, name: String, url: String?, at date: Date) throws {
        let timestamp = Self.timestamp(date)
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO user_profile (id, created_at) VALUES (?, ?)", arguments: [user, timestamp])
            try db.execute(sql: """
                INSERT INTO generated_playlist (user_id, spotify_id, name, url, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(user_id) DO UPDATE SET spotify_id = excluded.spotify_id, name = excluded.name,
                    url = excluded.url, snapshot_id = NULL, updated_at = excluded.updated_at
                """, arguments: [user, id, name, url, timestamp])
            try db.execute(sql: "DELETE FROM generated_playlist_track WHERE user_id = ?", arguments: [user])
            try db.execute(sql: "DELETE FROM spotify_pending_playlist WHERE user_id = ?", arguments: [user])
        }
    }

    public func recordGeneratedPlaylist(user: String, id: String, name: String, url: String?, snapshot: String?, mood: Double?,
                                        uris: [SpotifyTrackURI], at date: Date) throws {
        let timestamp = Self.timestamp(date)
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO user_profile (id, created_at) VALUES (?, ?)", arguments: [user, timestamp])
            try db.execute(sql: """
                INSERT INTO generated_playlist (user_id, spotify_id, name, url, snapshot_id, mood, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(user_id) DO UPDATE SET spotify_id = excluded.spotify_id, name = excluded.name, url = excluded.url,
                    snapshot_id = excluded.snapshot_id, mood = excluded.mood, updated_at = excluded.updated_at
                """, arguments: [user, id, name, url, snapshot, mood, timestamp])
            try db.execute(sql: "DELETE FROM generated_playlist_track WHERE user_id = ?", arguments: [user])
            for (position, uri) in uris.enumerated() {
                try db.execute(sql: "INSERT INTO generated_playlist_track (user_id, position, track_id) VALUES (?, ?, ?)",
                               arguments: [user, position, uri.id])
            }
        }
    }
}
