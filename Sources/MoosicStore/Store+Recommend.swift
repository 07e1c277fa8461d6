import Foundation
import GRDB
import MoosicCore
import MoosicML

/// The store's side of the recommend pipeline: users, moods, candidates, generated playlists, runs.
extension Store: ListenerRepository {
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }

    static func date(_ timestamp: String) -> Date? {
        try? Date(timestamp, strategy: .iso8601)
    }

    /// Creates the user's profile row if it is not there yet.
    public func ensureUser(_ id: String, displayName: String? = nil, now: Date = Date()) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO user_profile (id, display_name, created_at) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET display_name = COALESCE(excluded.display_name, user_profile.display_name)
                """, arguments: [id, displayName, Self.timestamp(now)])
        }
    }

    public func recordMood(user: String, score: Double, source: String, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO mood (user_id, measured_at, score, source) VALUES (?, ?, ?, ?)",
                           arguments: [user, Self.timestamp(date), score, source])
        }
    }

    /// The latest mood read from a photo for this user, with when it was measured.
    public func latestPhotoMood(user: String) throws -> (score: Double, measuredAt: Date)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT score, measured_at FROM mood WHERE user_id = ? AND source = 'photo'
                ORDER BY measured_at DESC, id DESC LIMIT 1
                """, arguments: [user]) else { return nil }
            guard let date = Self.date(row["measured_at"]) else { return nil }
            return (row["score"], date)
        }
    }

    /// Catalog songs of these genres that have an emotion score, one entry per (song, genre).
    public func rankingCandidates(genres: [String]) throws -> [RankingCandidate] {
        guard !genres.isEmpty else { return [] }
        return try read { db in
            let placeholders = Array(repeating: "?", count: genres.count).joined(separator: ",")
            return try Row.fetchAll(db, sql: """
                SELECT t.id, t.name, t.artists, g.genre, t.emotion, t.arousal, t.popularity, t.match_key
                FROM track_genre g JOIN track t ON t.id = g.track_id
                WHERE g.genre IN (\(placeholders)) AND t.emotion IS NOT NULL AND t.arousal IS NOT NULL
                """, arguments: StatementArguments(genres)).map { row in
                RankingCandidate(id: row["id"], name: row["name"], artists: row["artists"], genre: row["genre"],
                                 emotion: row["emotion"], arousal: row["arousal"], popularity: row["popularity"],
                                 matchKey: row["match_key"])
            }
        }
    }

    public func hasCatalog() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM track)") ?? false }
    }

    /// The genres the catalog has songs for.
    public func catalogGenres() throws -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT genre FROM track_genre")) }
    }

    /// Adds why each song is in the user's moosic playlist to the rows the playlist writer recorded.
    public func annotateGeneratedPlaylist(user: String, picks: [RankedPick]) throws {
        try write { db in
            for (position, pick) in picks.enumerated() {
                try db.execute(sql: """
                    UPDATE generated_playlist_track SET emotion = ?, arousal = ?, score = ?, reason = ?
                    WHERE user_id = ? AND position = ? AND track_id = ?
                    """, arguments: [pick.candidate.emotion, pick.candidate.arousal, pick.score, pick.reason, user,
                                     position, pick.candidate.id])
            }
        }
    }

    /// Starts a refresh run record; finish it with `finishRefreshRun`.
    public func startRefreshRun(user: String, now: Date = Date()) throws -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO refresh_run (user_id, started_at, outcome) VALUES (?, ?, 'running')",
                           arguments: [user, Self.timestamp(now)])
            return db.lastInsertedRowID
        }
    }

    public func finishRefreshRun(_ id: Int64, mood: Double?, moodSource: String?, trackCount: Int?, outcome: String,
                                 message: String?, now: Date = Date()) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE refresh_run SET finished_at = ?, mood = ?, mood_source = ?, track_count = ?, outcome = ?, message = ?
                WHERE id = ?
                """, arguments: [Self.timestamp(now), mood, moodSource, trackCount, outcome, message, id])
        }
    }

    public struct RefreshRun: Sendable, Equatable {
        public var user: String
        public var outcome: String
        public var mood: Double?
        public var moodSource: String?
        public var trackCount: Int?
        public var message: String?
    }

    public func refreshRuns(user: String) throws -> [RefreshRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM refresh_run WHERE user_id = ? ORDER BY id", arguments: [user]).map {
                RefreshRun(user: $0["user_id"], outcome: $0["outcome"], mood: $0["mood"], moodSource: $0["mood_source"],
                           trackCount: $0["track_count"], message: $0["message"])
            }
        }
    }
}
