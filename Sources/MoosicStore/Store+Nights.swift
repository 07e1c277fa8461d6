import Foundation
import GRDB
import MoosicCore
import MoosicML

/// What moosic remembers between nights: the songs each run gave, and what the listener did with
/// them (docs/nightly.md). The rules are MoosicCore's (ListenerFeedback, ListenerMemory); here they are only kept.
extension Store {
    private static let givenSongSQL = """
        SELECT r.id AS run_id, r.made_at, t.track_id, t.name, t.artists, t.genre, t.match_key, t.new_to_user
        FROM playlist_run_track t JOIN playlist_run r ON r.id = t.run_id
        """

    private static func givenSong(_ row: Row) -> GivenSong? {
        guard let date = date(row["made_at"]) else { return nil }
        return GivenSong(runID: row["run_id"], givenAt: date, trackID: row["track_id"], name: row["name"],
                         artists: row["artists"], genre: row["genre"], matchKey: row["match_key"], newToUser: row["new_to_user"])
    }

    public func givenSongs(user: String) throws -> [GivenSong] {
        try read { db in
            try Row.fetchAll(db, sql: Self.givenSongSQL + " WHERE r.user_id = ? ORDER BY r.made_at, r.id, t.position",
                             arguments: [user]).compactMap(Self.givenSong)
        }
    }

    public func unreadPlaylistRun(user: String) throws -> (id: Int64, playlistID: String, madeAt: Date, songs: [GivenSong])? {
        try read { db in
            guard let run = try Row.fetchOne(db, sql: """
                SELECT id, playlist_id, made_at, feedback_read_at FROM playlist_run WHERE user_id = ?
                ORDER BY made_at DESC, id DESC LIMIT 1
                """, arguments: [user]),
                  run["feedback_read_at"] as String? == nil, let madeAt = Self.date(run["made_at"]) else { return nil }
            let id: Int64 = run["id"]
            let songs = try Row.fetchAll(db, sql: Self.givenSongSQL + " WHERE r.id = ? ORDER BY t.position", arguments: [id])
                .compactMap(Self.givenSong)
            return (id, run["playlist_id"], madeAt, songs)
        }
    }

    public func syncedPlaylistItems(user: String, playlistID: String, readSince date: Date) throws -> Set<String>? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT synced_at FROM library_playlist WHERE user_id = ? AND playlist_id = ? AND items_status = 'synced'
                """, arguments: [user, playlistID]),
                  let synced = Self.date(row["synced_at"]), synced >= date else { return nil }
            return Set(try String.fetchAll(db, sql: """
                SELECT track_id FROM library_playlist_item WHERE user_id = ? AND playlist_id = ?
                """, arguments: [user, playlistID]))
        }
    }

    public func feedback(user: String) throws -> [FeedbackEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.kind, f.noted_at, r.id AS run_id, r.made_at, t.track_id, t.name, t.artists, t.genre, t.match_key,
                       t.new_to_user
                FROM listener_feedback f
                JOIN playlist_run r ON r.id = f.run_id
                JOIN playlist_run_track t ON t.run_id = f.run_id AND t.track_id = f.track_id
                WHERE f.user_id = ?
                ORDER BY f.noted_at, f.kind, r.id, t.position
                """, arguments: [user]).compactMap { row -> FeedbackEvent? in
                guard let kind = FeedbackEvent.Kind(rawValue: row["kind"]), let noted = Self.date(row["noted_at"]),
                      let song = Self.givenSong(row) else { return nil }
                return FeedbackEvent(kind: kind, song: song, notedAt: noted)
            }
        }
    }

    public func recordFeedback(user: String, events: [FeedbackEvent], read run: Int64?, at date: Date) throws {
        try write { db in
            for event in events {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO listener_feedback (user_id, track_id, kind, run_id, noted_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [user, event.song.trackID, event.kind.rawValue, event.song.runID, Self.timestamp(event.notedAt)])
            }
            if let run {
                try db.execute(sql: "UPDATE playlist_run SET feedback_read_at = ? WHERE id = ? AND user_id = ?",
                               arguments: [Self.timestamp(date), run, user])
            }
        }
    }

    /// Forgets the user's remembered dislikes (removed songs): all of them, or the one of `track`.
    /// Returns how many were forgotten. The songs may then be offered again.
    public func clearDislikes(user: String, track: String? = nil) throws -> Int {
        try write { db in
            if let track {
                try db.execute(sql: "DELETE FROM listener_feedback WHERE user_id = ? AND kind = 'removed' AND track_id = ?",
                               arguments: [user, track])
            } else {
                try db.execute(sql: "DELETE FROM listener_feedback WHERE user_id = ? AND kind = 'removed'", arguments: [user])
            }
            return db.changesCount
        }
    }
}
