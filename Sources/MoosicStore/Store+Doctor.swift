import Foundation
import GRDB
import MoosicCore
import MoosicML

/// What `moosic doctor` asks the store.
extension Store {
    /// `PRAGMA quick_check`: empty when the file is sound, else SQLite's findings (at most `limit`).
    public func integrityProblems(limit: Int = 5) throws -> [String] {
        try read { db in
            let findings = try String.fetchAll(db, sql: "PRAGMA quick_check(\(max(limit, 1)))")
            return findings == ["ok"] ? [] : findings
        }
    }

    /// How many catalog tracks there are and how many carry a score from the model `identity`.
    public func emotionScoreCounts(model identity: String) throws -> (tracks: Int, scoredByModel: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS tracks,
                       COALESCE(SUM(emotion IS NOT NULL AND emotion_model IS ?), 0) AS scored
                FROM track
                """, arguments: [identity])
            return (row?["tracks"] ?? 0, row?["scored"] ?? 0)
        }
    }

    /// The latest refresh runs, newest first, with when they started and finished.
    public func latestRefreshRuns(user: String?, limit: Int) throws -> [(run: RefreshRun, startedAt: Date?, finishedAt: Date?)] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM refresh_run WHERE ? IS NULL OR user_id = ? ORDER BY id DESC LIMIT ?
                """, arguments: [user, user, limit])
            return rows.map { row in
                let started: String? = row["started_at"]
                let finished: String? = row["finished_at"]
                return (RefreshRun(user: row["user_id"], outcome: row["outcome"], mood: row["mood"], moodSource: row["mood_source"],
                                   trackCount: row["track_count"], message: row["message"]),
                        started.flatMap(Self.date), finished.flatMap(Self.date))
            }
        }
    }
}
