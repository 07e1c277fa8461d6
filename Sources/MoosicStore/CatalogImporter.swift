import Foundation
import GRDB
import GRDBSQLite
import MoosicCore
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
}

/// Imports a catalog CSV into the store: all or nothing, in one transaction.
public enum CatalogImporter {
    /// How many problems an error message or report names before it only counts the rest.
    public static let problemsShown = 5

    /// Validates the whole file first. A file with invalid rows is refused (`invalidData`, the store
    /// untouched) unless `skipInvalid`, which imports the valid rows and reports the others.
    /// Re-importing the same file changes nothing: rows are upserted only where a value differs.
    /// Within one file the first row of a track id defines the track; later rows add genres.
    public static func importFile(at url: URL, into store: Store, skipInvalid: Bool,
                                  progress: ((Double) -> Void)? = nil) throws -> CatalogImportReport {
        let contents = try CatalogCSV.read(url: url, progress: progress.map { report in { report($0 * 0.5) } })
        if contents.invalidRows > 0, !skipInvalid {
            throw MoosicError.invalidData(refusal(name: url.lastPathComponent, contents: contents))
        }
        var report = try write(rows: contents.rows, into: store) { fraction in progress?(0.5 + fraction * 0.5) }
        report.rowsRead = contents.rows.count + contents.invalidRows
        report.invalidRows = contents.invalidRows
        report.problems = Array(contents.problems.prefix(problemsShown))
        return report
    }

    static func refusal(name: String, contents: CatalogCSV.Contents) -> String {
        let shown = contents.problems.prefix(problemsShown).map(\.description).joined(separator: "; ")
        let more = contents.problems.count > problemsShown ? "; and \(contents.problems.count - problemsShown) more problem(s)" : ""
        return "\(name) has \(contents.invalidRows) invalid row(s), nothing imported: \(shown)\(more) (--skip-invalid imports the valid rows)"
    }

    /// Writes validated rows in one transaction.
    public static func write(rows: [CatalogRow], into store: Store,
                             progress: ((Double) -> Void)? = nil) throws -> CatalogImportReport {
        try store.write { db in
            // The import touches every page of the track tables; with SQLite's default 2 MB cache
            // they are read back from disk again and again (a third of the import time).
            try db.execute(sql: "PRAGMA cache_size = -131072")
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
            let before = try trackCount(db)
            let counts = try upsert(inKeyOrder(rows), db, progress: progress)
            let added = try trackCount(db) - before
            progress?(1)
            return CatalogImportReport(rowsRead: rows.count, invalidRows: 0, problems: [],
                                       tracksAdded: added, tracksUpdated: counts.changed - added,
                                       tracksUnchanged: counts.distinct - counts.changed, genreLinksAdded: counts.links)
        }
    }

    private static func trackCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track") ?? 0
    }

    /// Within one file the first row of an id defines the track (a stable sort keeps file order
    /// among equal ids); writing in key order makes most B-tree inserts appends.
    private static func inKeyOrder(_ rows: [CatalogRow]) -> [CatalogRow] {
        rows.enumerated().sorted { a, b in
            a.element.track.id != b.element.track.id ? a.element.track.id < b.element.track.id : a.offset < b.offset
        }.map(\.element)
    }

    /// Upserts each track once (its first row) and links every row's genre: how many distinct
    /// tracks there were, how many were inserted or changed, how many genre links are new.
    private static func upsert(_ ordered: [CatalogRow], _ db: Database,
                               progress: ((Double) -> Void)?) throws -> (distinct: Int, changed: Int, links: Int) {
        let upsertTrack = try db.makeStatement(sql: upsertTrackSQL)
        let linkGenre = try db.makeStatement(sql: "INSERT OR IGNORE INTO track_genre (track_id, genre) VALUES (?, ?)")
        var previousID: String?
        var counts = (distinct: 0, changed: 0, links: 0)
        for (n, row) in ordered.enumerated() {
            let t = row.track
            if t.id != previousID {
                previousID = t.id
                counts.distinct += 1
                try bindTrack(t, to: upsertTrack.sqliteStatement)
                try step(upsertTrack.sqliteStatement, db)
                counts.changed += db.changesCount
            }
            bind([t.id, row.genre], to: linkGenre.sqliteStatement)
            try step(linkGenre.sqliteStatement, db)
            counts.links += db.changesCount
            if let progress, n % 8192 == 0 { progress(Double(n) / Double(max(ordered.count, 1))) }
        }
        return counts
    }

    // The WHERE clause makes an identical row a no-op, so changesCount counts only real inserts
    // and updates; an update clears the emotion score, which depends on the features.
    private static let upsertTrackSQL = """
        INSERT INTO track (id, name, artists, album, popularity, duration_ms, explicit, danceability,
            energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence,
            tempo, time_signature, match_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            name = excluded.name, artists = excluded.artists, album = excluded.album,
            popularity = excluded.popularity, duration_ms = excluded.duration_ms,
            explicit = excluded.explicit, danceability = excluded.danceability,
            energy = excluded.energy, key = excluded.key, loudness = excluded.loudness,
            mode = excluded.mode, speechiness = excluded.speechiness,
            acousticness = excluded.acousticness, instrumentalness = excluded.instrumentalness,
            liveness = excluded.liveness, valence = excluded.valence, tempo = excluded.tempo,
            time_signature = excluded.time_signature, match_key = excluded.match_key,
            emotion = CASE WHEN (track.danceability, track.energy, track.key, track.loudness, track.mode,
                track.speechiness, track.acousticness, track.instrumentalness, track.liveness,
                track.valence, track.tempo, track.time_signature)
                IS (excluded.danceability, excluded.energy, excluded.key, excluded.loudness, excluded.mode,
                excluded.speechiness, excluded.acousticness, excluded.instrumentalness, excluded.liveness,
                excluded.valence, excluded.tempo, excluded.time_signature)
                THEN track.emotion ELSE NULL END
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

    private static func bindTrack(_ t: CatalogTrack, to statement: SQLiteStatement) throws {
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
    private static func bind(_ texts: [String], to statement: SQLiteStatement) {
        for (i, text) in texts.enumerated() { bindText(text, at: Int32(i + 1), to: statement) }
    }

    private static func bindText(_ text: String, at index: Int32, to statement: SQLiteStatement) {
        _ = sqlite3_bind_text(statement, index, text, -1, transient)
    }

    private static func step(_ statement: SQLiteStatement, _ db: Database) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw Store.stepFailure(code, db) }
    }
}
