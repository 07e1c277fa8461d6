import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicCore
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
}
