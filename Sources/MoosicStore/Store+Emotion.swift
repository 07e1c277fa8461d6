import Foundation
import GRDB
import GRDBSQLite
import MoosicCore
import MoosicML

/// What a re-scoring of the catalog did.
public struct EmotionRefreshReport: Sendable, Equatable {
    /// Tracks given a new score (their score was missing or from another model).
    public var scored: Int
    public var model: String
    /// The whole refresh: reading the features, the network, writing the scores, committing.
    public var seconds: Double
    /// The network alone, over every track scored.
    public var inferenceSeconds: Double
}

extension Store {
    /// Gives every track whose emotion is missing, or was computed by another model, its scores
    /// from `model` (P(happy) and P(energetic)), in one transaction, so that ranking reads scores and
    /// never runs the network.
    public func refreshEmotionScores(model: SongEmotionModel) throws -> EmotionRefreshReport {
        let start = Date()
        let identity = model.identity
        let columns = model.features.map(\.rawValue).joined(separator: ", ")
        var inferenceSeconds = 0.0
        let scored = try write { db -> Int in
            // Rows are found again by rowid, in rowid order: no trip through the id index, and
            // the table's pages are rewritten front to back.
            var rowids: [Int64] = []
            var raw: [Float] = []
            let select = try db.makeStatement(sql: """
                SELECT rowid, \(columns) FROM track
                WHERE emotion IS NULL OR arousal IS NULL OR emotion_model IS NOT ? ORDER BY rowid
                """)
            // 80,000 rows: bound and stepped through SQLite's C API, as GRDB boxes every value.
            let s = select.sqliteStatement
            _ = sqlite3_bind_text(s, 1, identity, -1, Self.transientDestructor)
            let width = Int32(model.features.count)
            while true {
                let code = sqlite3_step(s)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw Self.stepFailure(code, db) }
                rowids.append(sqlite3_column_int64(s, 0))
                for c in 0..<width { raw.append(Float(sqlite3_column_double(s, c + 1))) }
            }
            sqlite3_reset(s)
            if rowids.isEmpty { return 0 }
            let inferenceStart = Date()
            let scores = model.scores(raw)
            inferenceSeconds = Date().timeIntervalSince(inferenceStart)
            let update = try db.makeStatement(sql: "UPDATE track SET emotion = ?, arousal = ?, emotion_model = ? WHERE rowid = ?")
            let u = update.sqliteStatement
            _ = sqlite3_bind_text(u, 3, identity, -1, Self.transientDestructor)
            for (i, rowid) in rowids.enumerated() {
                sqlite3_bind_double(u, 1, Double(scores.happy[i]))
                sqlite3_bind_double(u, 2, Double(scores.arousal[i]))
                sqlite3_bind_int64(u, 4, rowid)
                let code = sqlite3_step(u)
                sqlite3_reset(u)
                guard code == SQLITE_DONE else { throw Self.stepFailure(code, db) }
            }
            return rowids.count
        }
        return EmotionRefreshReport(scored: scored, model: identity, seconds: Date().timeIntervalSince(start),
                                    inferenceSeconds: inferenceSeconds)
    }

    /// Gives tracks scores computed elsewhere (a test's fixed scores), as from the model `identity`;
    /// P(energetic) is `arousal[id]`, else 0.5.
    package func recordEmotionScores(_ scores: [String: Double], arousal: [String: Double] = [:], model identity: String) throws {
        try write { db in
            for (id, score) in scores {
                try db.execute(sql: "UPDATE track SET emotion = ?, arousal = ?, emotion_model = ? WHERE id = ?",
                               arguments: [score, arousal[id] ?? 0.5, identity, id])
            }
        }
    }

    private static let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
