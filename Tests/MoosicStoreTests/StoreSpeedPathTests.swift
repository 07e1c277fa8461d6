import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicApp

/// The cheap paths every recommendation takes: no write when nothing changed.
@Suite struct StoreSpeedPathTests {
    @Test func currentEmotionScoresNeedNoWriteLock() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("s.sqlite")
        let store = try Store(url: url, busyTimeout: 0.2)
        let file = try directory.write("c.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV"),
                                                 catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A")].joined(separator: "\n"))
        _ = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        let environment = MoosicEnvironment(home: directory.url)
        let model = try #require(try SongEmotion.installedModel(environment))
        #expect(try store.refreshEmotionScores(model: model).scored == 2)

        // Another connection holds the write lock: a refresh with nothing to do still succeeds.
        let other = try DatabaseQueue(path: url.path)
        try holdingTheWriteLock(other) { () throws in
            #expect(try store.refreshEmotionScores(model: model).scored == 0)
        }
        // With a stale score it must write, and so waits for the lock and reports busy.
        try other.write { db in try db.execute(sql: "UPDATE track SET emotion = NULL WHERE id = '4qPNDBW1i3p13qLCt0Ki3A'") }
        try holdingTheWriteLock(other) { () throws in
            #expect(throws: MoosicError.self) { try store.refreshEmotionScores(model: model) }
        }
        #expect(try store.refreshEmotionScores(model: model).scored == 1)
    }

    /// Runs `body` while `database` holds SQLite's write lock (BEGIN IMMEDIATE) on another thread.
    func holdingTheWriteLock(_ database: DatabaseQueue, _ body: () throws -> Void) throws {
        let held = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? database.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                held.signal()
                done.wait()
                try db.execute(sql: "ROLLBACK")
            }
            finished.signal()
        }
        thread.start()
        held.wait()
        defer { done.signal(); finished.wait() }
        try body()
    }

    func indexes(_ store: Store) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT name || ':' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
        }
    }

    @Test func anImportIntoAnEmptyCatalogLeavesTheIndexesAsTheMigrationsMadeThem() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(url: directory.url.appendingPathComponent("s.sqlite"))
        let fresh = try indexes(store)
        #expect(fresh.contains { $0.hasPrefix("track_by_match_key:") })
        let bad = try directory.write("bad.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV"),
                                                  catalogLine(id: "nope")].joined(separator: "\n"))
        #expect(throws: MoosicError.self) { try CatalogImporter.importFile(at: bad, into: store, skipInvalid: false) }
        #expect(try indexes(store) == fresh)
        #expect(try store.tableSizes()["track"] == 0)
        let good = try directory.write("good.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV"),
                                                    catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV", genre: "sad")].joined(separator: "\n"))
        let report = try CatalogImporter.importFile(at: good, into: store, skipInvalid: false)
        #expect(report.tracksAdded == 1)
        #expect(report.genreLinksAdded == 2)
        #expect(try indexes(store) == fresh)
        let keys = try store.read { db in try String.fetchAll(db, sql: "SELECT match_key FROM track INDEXED BY track_by_match_key WHERE match_key > ''") }
        #expect(keys == ["gen hoshino|comedy"])
    }

    @Test func importWithAModelWritesCurrentScoresSoNoRescoringIsLeft() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(url: directory.url.appendingPathComponent("s.sqlite"))
        let model = try #require(try SongEmotion.installedModel(MoosicEnvironment(home: directory.url)))
        let file = try directory.write("c.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV"),
                                                 catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A", ["valence": "0.1"])].joined(separator: "\n"))
        let report = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false, emotionModel: model)
        #expect(report.emotionScored == 2)
        #expect(try store.emotionScoreCounts(model: model.identity) == (tracks: 2, scoredByModel: 2))
        // The same scores a separate rescoring pass gives.
        let written = try store.read { db in try Double.fetchAll(db, sql: "SELECT emotion FROM track ORDER BY id") }
        try store.recordEmotionScores(["5SuOikwiRyPMVoIQDJUgSV": -1, "4qPNDBW1i3p13qLCt0Ki3A": -1], model: "other")
        #expect(try store.refreshEmotionScores(model: model).scored == 2)
        #expect(try store.read { db in try Double.fetchAll(db, sql: "SELECT emotion FROM track ORDER BY id") } == written)
    }
}
