import Foundation
import GRDB
import MoosicCore
import MoosicML

/// The mood history: photo moods and the playlists written for them.
extension Store {
    public func recordPlaylistRun(_ run: PlaylistRun, picks: [RankedPick] = []) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO playlist_run (user_id, made_at, mood, mood_source, strategy, track_count, playlist_id,
                                          playlist_name, playlist_url, cover_path)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.user, Self.timestamp(run.madeAt), run.mood, run.moodSource, run.strategy.rawValue,
                                 run.trackCount, run.playlistID, run.playlistName, run.playlistURL, run.coverPath])
            let id = db.lastInsertedRowID
            for (position, pick) in picks.enumerated() {
                let c = pick.candidate
                try db.execute(sql: """
                    INSERT INTO playlist_run_track (run_id, position, track_id, name, artists, genre, match_key, new_to_user)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, position, c.id, c.name, c.artists, c.genre, c.matchKey, pick.isNewToUser])
            }
        }
    }

    /// Every playlist written for the user, oldest first.
    public func playlistRuns(user: String) throws -> [PlaylistRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM playlist_run WHERE user_id = ? ORDER BY made_at, id", arguments: [user])
                .compactMap { row -> PlaylistRun? in
                    guard let date = Self.date(row["made_at"]) else { return nil }
                    return PlaylistRun(id: row["id"], user: row["user_id"], madeAt: date, mood: row["mood"], moodSource: row["mood_source"],
                                       strategy: RankingStrategy(rawValue: row["strategy"]) ?? .match,
                                       trackCount: row["track_count"], playlistID: row["playlist_id"],
                                       playlistName: row["playlist_name"], playlistURL: row["playlist_url"],
                                       coverPath: row["cover_path"])
                }
        }
    }

    /// Every mood read from a photo for the user, oldest first.
    public func photoMoods(user: String) throws -> [(at: Date, score: Double)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT measured_at, score FROM mood WHERE user_id = ? AND source = 'photo' ORDER BY measured_at, id
                """, arguments: [user]).compactMap { row in
                Self.date(row["measured_at"]).map { ($0, row["score"]) }
            }
        }
    }

    /// Whether the store knows this user at all (a profile row).
    public func hasUser(_ id: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM user_profile WHERE id = ?)", arguments: [id]) ?? false
        }
    }
}
