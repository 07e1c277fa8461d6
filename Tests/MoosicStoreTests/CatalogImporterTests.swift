import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct CatalogImporterTests {
    let directory: TemporaryDirectory
    let store: Store

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(url: directory.url.appendingPathComponent("store.sqlite"))
    }

    func csv(_ lines: [String], name: String = "catalog.csv") throws -> URL {
        try directory.write(name, ([catalogHeader] + lines).joined(separator: "\n") + "\n")
    }

    func dump() throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT id || ':' || name || ':' || valence FROM track ORDER BY id")
                + String.fetchAll(db, sql: "SELECT track_id || '/' || genre FROM track_genre ORDER BY 1")
        }
    }

    @Test func importsGoodRows() throws {
        let file = try csv([catalogLine(), catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A", genre: "sad")])
        let report = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        #expect(report.tracksAdded == 2)
        #expect(report.genreLinksAdded == 2)
        let stats = try store.catalogStats()
        #expect(stats.tracks == 2)
        #expect(stats.tracksPerGenre == [.init(genre: "acoustic", tracks: 1), .init(genre: "sad", tracks: 1)])
        let loudness = try store.read { db in
            try Double.fetchOne(db, sql: "SELECT loudness FROM track WHERE id = '4qPNDBW1i3p13qLCt0Ki3A'")
        }
        #expect(loudness == -6.746)
    }

    @Test func aTrackUnderTwoGenresIsOneTrackWithTwoGenres() throws {
        let file = try csv([catalogLine(genre: "acoustic"), catalogLine(genre: "chill")])
        let report = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        #expect(report.tracksAdded == 1)
        #expect(report.genreLinksAdded == 2)
        let stats = try store.catalogStats()
        #expect(stats.tracks == 1)
        #expect(stats.genres == 2)
    }

    @Test func refusedImportLeavesTheStoreAsItWas() throws {
        _ = try CatalogImporter.importFile(at: try csv([catalogLine()], name: "first.csv"), into: store, skipInvalid: false)
        let before = try dump()
        let bad = try csv([catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A"),
                           catalogLine(id: "6lfxq3CG4xtTiEg7opyCyx", ["valence": "1.7"]),
                           catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV", ["track_name": "Renamed"])])
        do {
            _ = try CatalogImporter.importFile(at: bad, into: store, skipInvalid: false)
            Issue.record("an invalid file was imported")
        } catch let error as MoosicError {
            guard case .invalidData(let message, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("line 3, column valence"))
        }
        #expect(try dump() == before)
    }

    @Test func aFailureWhileWritingRollsBackEverything() throws {
        let before = try dump()
        // A trigger that fails on the second track makes the write fail midway.
        try store.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_second AFTER INSERT ON track WHEN (SELECT COUNT(*) FROM track) = 2
                BEGIN SELECT RAISE(ABORT, 'simulated failure'); END
                """)
        }
        let file = try csv([catalogLine(), catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A")])
        #expect(throws: (any Error).self) { try CatalogImporter.importFile(at: file, into: store, skipInvalid: false) }
        #expect(try dump() == before)
    }

    @Test func skipInvalidImportsTheGoodRowsAndReportsTheOthers() throws {
        let file = try csv([catalogLine(), catalogLine(id: "bad"), catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A")])
        let report = try CatalogImporter.importFile(at: file, into: store, skipInvalid: true)
        #expect(report.tracksAdded == 2)
        #expect(report.invalidRows == 1)
        #expect(report.problems.map(\.line) == [3])
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let file = try csv([catalogLine(), catalogLine(genre: "chill"), catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A")])
        _ = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        let before = try dump()
        let report = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        #expect(report.tracksAdded == 0)
        #expect(report.tracksUpdated == 0)
        #expect(report.tracksUnchanged == 2)
        #expect(report.genreLinksAdded == 0)
        #expect(try dump() == before)
    }

    @Test func changedFeaturesUpdateTheTrackAndClearItsEmotionScore() throws {
        _ = try CatalogImporter.importFile(at: try csv([catalogLine()]), into: store, skipInvalid: false)
        try store.write { db in try db.execute(sql: "UPDATE track SET emotion = 0.9") }
        let report = try CatalogImporter.importFile(at: try csv([catalogLine(["valence": "0.2"])], name: "v2.csv"),
                                                    into: store, skipInvalid: false)
        #expect(report.tracksUpdated == 1)
        let row = try store.read { db in try Row.fetchOne(db, sql: "SELECT valence, emotion FROM track") }
        #expect(row?["valence"] == 0.2)
        #expect((row?["emotion"] as Double?) == nil)
    }

    @Test func missingFileIsFileMissing() {
        let path = directory.url.appendingPathComponent("nope.csv")
        #expect(throws: MoosicError.fileMissing(path: path.path)) {
            try CatalogImporter.importFile(at: path, into: store, skipInvalid: false)
        }
    }

    @Test func refusalNamesTheFirstFewProblemsThenCounts() throws {
        let lines = (0..<8).map { catalogLine(id: "bad\($0)") }
        do {
            _ = try CatalogImporter.importFile(at: try csv(lines), into: store, skipInvalid: false)
            Issue.record("an invalid file was imported")
        } catch let error as MoosicError {
            #expect(error.message.contains("8 invalid row(s)"))
            #expect(error.message.contains("line 2, column track_id"))
            #expect(error.message.contains("and 3 more problem(s)"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func fixtureCatalogImportsWithTheFiveMooSicGenres() throws {
        let report = try CatalogImporter.importFile(at: repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"),
                                                    into: store, skipInvalid: false)
        #expect(report.invalidRows == 0)
        let genres = Set(try store.catalogStats().tracksPerGenre.map(\.genre))
        #expect(genres.isSuperset(of: ["happy", "sad", "rock", "edm", "death-metal"]))
        #expect(genres.count >= 15)
    }
}
