import Foundation
import GRDB
import GRDBSQLite
import MoosicCore
import MoosicIO
import MoosicML

/// What an import did.
public struct CatalogImportReport: Sendable, Equatable {
    public var rowsRead: Int
    public var invalidRows: Int
    /// The first problems found (all of them are counted in `invalidRows`).
    public var problems: [CatalogCSV.Problem]
    public var tracksAdded: Int
    public var tracksUpdated: Int
    public var tracksUnchanged: Int
    public var genreLinksAdded: Int
    /// New or changed tracks written with a score from the emotion model given to the import.
    public var emotionScored: Int = 0
}

/// Imports a catalog CSV into the store: all or nothing, in one transaction.
public enum CatalogImporter {
    /// How many problems an error message or report names before it only counts the rest.
    public static let problemsShown = 5
    /// New tracks are scored by the emotion model this many at a time, before they are written.
    static let batchSize = 4096

    /// Validates every row and writes the valid ones as it reads, a chunk of the file at a time, in
    /// one transaction: a file with invalid rows is refused (`invalidData`) and the transaction
    /// rolled back, the store untouched, unless `skipInvalid`, which keeps the valid rows and reports
    /// the others. Re-importing the same file changes nothing: rows are upserted only where a value
    /// differs. Within one file the first row of a track id defines the track; later rows add genres.
    /// With `emotionModel`, new and changed tracks are written with their score from it, so the
    /// catalog needs no second pass to be scored.
    public static func importFile(at url: URL, into store: Store, skipInvalid: Bool,
                                  emotionModel: SongEmotionModel? = nil,
                                  progress: ((Double) -> Void)? = nil) throws -> CatalogImportReport {
        try importRecords(from: FileByteSource(url: url), name: url.lastPathComponent, into: store, skipInvalid: skipInvalid,
                          emotionModel: emotionModel, progress: progress)
    }

    /// `importFile` over any source of CSV bytes: a plain file, or a decompressor streaming one
    /// (MoosicApp's `CompressedFile`: `.xz`, `.gz`); `name` is the file's, for messages.
    public static func importRecords(from source: any ByteSource, name: String, into store: Store, skipInvalid: Bool,
                                     emotionModel: SongEmotionModel? = nil,
                                     progress: ((Double) -> Void)? = nil) throws -> CatalogImportReport {
        try store.write { db in
            var writer = try RowWriter(db, emotionModel: emotionModel)
            defer { writer.close() }
            let summary = try CatalogCSV.scan(source: source, name: name, progress: progress) { row in try writer.add(row) }
            if summary.invalidRows > 0, !skipInvalid {
                throw MoosicError.invalidData(refusal(name: name, invalidRows: summary.invalidRows,
                                                      problems: summary.problems))
            }
            var report = try writer.finish()
            report.rowsRead = summary.records
            report.invalidRows = summary.invalidRows
            report.problems = Array(summary.problems.prefix(problemsShown))
            return report
        }
    }

    static func refusal(name: String, invalidRows: Int, problems: [CatalogCSV.Problem]) -> String {
        let shown = problems.prefix(problemsShown).map(\.description).joined(separator: "; ")
        let more = problems.count > problemsShown ? "; and \(problems.count - problemsShown) more problem(s)" : ""
        return "\(name) has \(invalidRows) invalid row(s), nothing imported: \(shown)\(more) (--skip-invalid imports the valid rows)"
    }

    /// Writes validated rows in one transaction.
    public static func write(rows: [CatalogRow], into store: Store, emotionModel: SongEmotionModel? = nil,
                             progress: ((Double) -> Void)? = nil) throws -> CatalogImportReport {
        try store.write { db in
            var writer = try RowWriter(db, emotionModel: emotionModel)
            defer { writer.close() }
            for (n, row) in rows.enumerated() {
                try writer.add(row)
                if let progress, n % 8192 == 0 { progress(Double(n) / Double(max(rows.count, 1))) }
            }
            progress?(1)
            var report = try writer.finish()
            report.rowsRead = rows.count
            return report
        }
    }

    /// A track id as a fixed-size key (ids are 22 ASCII letters and digits), so the set of ids seen
    /// in a 1.2-million-row file stays small.
    struct IDKey: Hashable {
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0

        init(_ id: String) {
            var k = 0
            for byte in id.utf8.prefix(24) {
                let v = UInt64(byte) << UInt64(8 * (k % 8))
                switch k / 8 { case 0: a |= v; case 1: b |= v; default: c |= v }
                k += 1
            }
            c |= UInt64(id.utf8.count) << 56
        }
    }

    /// The prepared statements and the state of one import's transaction.
    struct RowWriter {
        let db: Database
        let emotionModel: SongEmotionModel?
        let upsertTrack: Statement
        let linkGenre: Statement
        var before = 0
        var seen = Set<IDKey>()
        /// Rows waiting to be written: the first row of a track (to be scored and upserted) or a
        /// later row of one (only its genre), in file order.
        var pending: [(row: CatalogRow, isFirst: Bool)] = []
        var counts = (distinct: 0, changed: 0, links: 0)
        var emotionScored = 0

        init(_ db: Database, emotionModel: SongEmotionModel?) throws {
            self.db = db
            self.emotionModel = emotionModel
            // Rows come in file order, so their ids land on random pages of the id index and of
            // track_genre: with SQLite's default 2 MB cache (or 64 MB for 1.2 million rows) those
            // pages are read back again and again. 160 MB holds them for a 1.2-million-row catalog;
            // the cache only grows as far as the file needs.
            try db.execute(sql: "PRAGMA cache_size = -163840")
            upsertTrack = try db.makeStatement(sql: upsertTrackSQL)
            linkGenre = try db.makeStatement(sql: "INSERT OR IGNORE INTO track_genre (track_id, genre) VALUES (?, ?)")
            before = try CatalogImporter.trackCount(db)
            // The artists' genres are derived from the catalog: the next profile fills them again.
            try db.execute(sql: "DELETE FROM artist_genre")
            pending.reserveCapacity(CatalogImporter.batchSize)
            // Into an empty catalog, the secondary indexes are built once at the end (a sort)
            // rather than grown a row at a time; the transaction keeps this invisible.
            if before == 0 {
                for index in CatalogImporter.rebuiltIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
                rebuildIndexes = true
            }
        }
        var rebuildIndexes = false

        func close() {
            try? db.execute(sql: "PRAGMA cache_size = -2000")
        }

        mutating func add(_ row: CatalogRow) throws {
            let isFirst = seen.insert(IDKey(row.track.id)).inserted
            if isFirst { counts.distinct += 1 }
            pending.append((row, isFirst))
            if pending.count >= CatalogImporter.batchSize { try flush() }
        }

        /// Scores the pending first rows (one network pass), then writes the batch in file order.
        mutating func flush() throws {
            guard !pending.isEmpty else { return }
            var scores = EmotionScores(happy: [], arousal: [])
            if let emotionModel {
                let tracks = pending.filter(\.isFirst).map(\.row.track)
                scores = emotionModel.scores(SongEmotionModel.featureRows(tracks, features: emotionModel.features))
            }
            let identity = emotionModel?.identity
            let u = upsertTrack.sqliteStatement, l = linkGenre.sqliteStatement
            var scored = 0
            for (row, isFirst) in pending {
                let t = row.track
                if isFirst {
                    try CatalogImporter.bindTrack(t, to: u)
                    if let identity {
                        sqlite3_bind_double(u, 21, Double(scores.happy[scored]))
                        CatalogImporter.bindText(identity, at: 22, to: u)
                        sqlite3_bind_double(u, 23, Double(scores.arousal[scored]))
                        scored += 1
                    } else {
                        sqlite3_bind_null(u, 21)
                        sqlite3_bind_null(u, 22)
                        sqlite3_bind_null(u, 23)
                    }
                    try CatalogImporter.step(u, db)
                    counts.changed += db.changesCount
                    if identity != nil { emotionScored += db.changesCount }
                }
                CatalogImporter.bind([t.id, row.genre], to: l)
                try CatalogImporter.step(l, db)
                counts.links += db.changesCount
            }
            pending.removeAll(keepingCapacity: true)
        }

        mutating func finish() throws -> CatalogImportReport {
            try flush()
            if rebuildIndexes {
                for index in CatalogImporter.rebuiltIndexes { try db.execute(sql: index.create) }
                rebuildIndexes = false
            }
            let added = try CatalogImporter.trackCount(db) - before
            return CatalogImportReport(rowsRead: 0, invalidRows: 0, problems: [],
                                       tracksAdded: added, tracksUpdated: counts.changed - added,
                                       tracksUnchanged: counts.distinct - counts.changed, genreLinksAdded: counts.links,
                                       emotionScored: emotionScored)
        }
    }

    /// The catalog's secondary indexes, as the migrations in Store.swift create them (StoreTests
    /// checks that an import leaves the schema as the migrations made it).
    static let rebuiltIndexes = [
        (name: "track_by_match_key", create: "CREATE INDEX track_by_match_key ON track(match_key)"),
        (name: "track_genre_by_genre", create: "CREATE INDEX track_genre_by_genre ON track_genre(genre)"),
    ]

    static func trackCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track") ?? 0
    }

    /// Whether an upserted row's audio features are the stored ones (the emotion score depends on them).
    private static let sameFeatures = """
        (track.danceability, track.energy, track.key, track.loudness, track.mode,
                track.speechiness, track.acousticness, track.instrumentalness, track.liveness,
                track.valence, track.tempo, track.time_signature)
                IS (excluded.danceability, excluded.energy, excluded.key, excluded.loudness, excluded.mode,
                excluded.speechiness, excluded.acousticness, excluded.instrumentalness, excluded.liveness,
                excluded.valence, excluded.tempo, excluded.time_signature)
        """

    // The WHERE clause makes an identical row a no-op, so changesCount counts only real inserts
    // and updates; an update whose features changed takes the new score (NULL without a model),
    // one whose features did not keeps the stored score.
    private static let upsertTrackSQL = """
        INSERT INTO track (id, name, artists, album, popularity, duration_ms, explicit, danceability,
            energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence,
            tempo, time_signature, match_key, emotion, emotion_model, arousal)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            name = excluded.name, artists = excluded.artists, album = excluded.album,
            popularity = excluded.popularity, duration_ms = excluded.duration_ms,
            explicit = excluded.explicit, danceability = excluded.danceability,
            energy = excluded.energy, key = excluded.key, loudness = excluded.loudness,
            mode = excluded.mode, speechiness = excluded.speechiness,
            acousticness = excluded.acousticness, instrumentalness = excluded.instrumentalness,
            liveness = excluded.liveness, valence = excluded.valence, tempo = excluded.tempo,
            time_signature = excluded.time_signature, match_key = excluded.match_key,
            emotion = CASE WHEN \(sameFeatures) THEN track.emotion ELSE excluded.emotion END,
            emotion_model = CASE WHEN \(sameFeatures) THEN track.emotion_model ELSE excluded.emotion_model END,
            arousal = CASE WHEN \(sameFeatures) THEN track.arousal ELSE excluded.arousal END
        WHERE (track.name, track.artists, track.album, track.popularity, track.duration_ms, track.explicit,
               track.danceability, track.energy, track.key, track.loudness, track.mode, track.speechiness,
               track.acousticness, track.instrumentalness, track.liveness, track.valence, track.tempo,
               track.time_signature)
           IS NOT (excluded.name, excluded.artists, excluded.album, excluded.popularity, excluded.duration_ms,
               excluded.explicit, excluded.danceability, excluded.energy, excluded.key, excluded.loudness,
               excluded.mode, excluded.speechiness, excluded.acousticness, excluded.instrumentalness,
               excluded.liveness, excluded.valence, excluded.tempo, excluded.time_signature)
        """

    // The import binds 2 M values: through GRDB's StatementArguments each one is boxed, retained
    // and released, which cost a third of the import time, so the hot loop binds with SQLite's C API.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func bindTrack(_ t: CatalogTrack, to statement: SQLiteStatement) throws {
        let f = t.features
        bind([t.id, t.name, t.artists, t.album], to: statement)
        sqlite3_bind_int64(statement, 5, Int64(t.popularity))
        sqlite3_bind_int64(statement, 6, Int64(t.durationMs))
        sqlite3_bind_int64(statement, 7, t.explicit ? 1 : 0)
        let reals: [(Int32, Double)] = [(8, f.danceability), (9, f.energy), (11, f.loudness), (13, f.speechiness),
                                        (14, f.acousticness), (15, f.instrumentalness), (16, f.liveness),
                                        (17, f.valence), (18, f.tempo)]
        for (index, value) in reals { sqlite3_bind_double(statement, index, value) }
        sqlite3_bind_int64(statement, 10, Int64(f.key))
        sqlite3_bind_int64(statement, 12, Int64(f.mode))
        sqlite3_bind_int64(statement, 19, Int64(t.timeSignature))
        bindText(TrackMatchKey.make(artists: t.artists, name: t.name), at: 20, to: statement)
    }

    /// Binds texts to parameters 1, 2, …
    static func bind(_ texts: [String], to statement: SQLiteStatement) {
        for (i, text) in texts.enumerated() { bindText(text, at: Int32(i + 1), to: statement) }
    }

    static func bindText(_ text: String, at index: Int32, to statement: SQLiteStatement) {
        _ = sqlite3_bind_text(statement, index, text, -1, transient)
    }

    static func step(_ statement: SQLiteStatement, _ db: Database) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw Store.stepFailure(code, db) }
    }
}
