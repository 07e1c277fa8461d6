import Foundation
import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// End-to-end: `moosic train genres` and `moosic eval genres` on the fixture catalog.
@Suite struct GenresCLITests {
    let home: URL
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
        home = cli.home
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    struct Metrics: Decodable {
        var n: Int
        var accuracy, macro_f1, top5: Double
        var seconds: Double?
    }

    @Test func trainThenEvaluateOnASubsetOfGenres() throws {
        let model = home.appendingPathComponent("g.rf").path
        let trained = try cli.run(["train", "genres", "--data", "Fixtures/catalog.csv", "--genres", "rock,classical,edm",
                                   "--trees", "16", "--out", model, "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let t = try JSONDecoder().decode(Metrics.self, from: Data(trained.stdout.utf8))
        // About a tenth of the 3 × ~1000 rows are held out, by track id.
        #expect(t.n > 150 && t.n < 450)
        #expect(t.accuracy > 0.6 && t.top5 == 1 && t.macro_f1 > 0.5)
        #expect((t.seconds ?? -1) >= 0)

        let evaluated = try cli.run(["eval", "genres", "--data", "Fixtures/catalog.csv", "--model", model, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let e = try JSONDecoder().decode(Metrics.self, from: Data(evaluated.stdout.utf8))
        // Rows of the other 13 genres are skipped: only rock, classical and edm rows count.
        #expect(e.n > 2500 && e.n < 3300)
        #expect(e.accuracy > t.accuracy)

        let human = try cli.run(["eval", "genres", "--data", "Fixtures/catalog.csv", "--model", model, "--genres", "rock"])
        #expect(human.status == 0)
        #expect(human.stdout.contains("accuracy"))
    }

    @Test func crossValidationReportsTheFoldMeans() throws {
        struct Report: Decodable {
            var n: Int
            var accuracy, macro_f1, top5: Double
            var folds: [Metrics]
            var invalid_rows: Int
        }
        let result = try cli.run(["train", "genres", "--data", "Fixtures/catalog.csv", "--genres", "rock,classical,edm",
                                  "--trees", "8", "--cv", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.folds.count == 3)
        #expect(report.n == report.folds.map(\.n).reduce(0, +))
        #expect(abs(report.accuracy - report.folds.map(\.accuracy).reduce(0, +) / 3) < 1e-12)
        #expect(abs(report.macro_f1 - report.folds.map(\.macro_f1).reduce(0, +) / 3) < 1e-12)
        #expect(report.top5 == 1 && report.accuracy > 0.6)
    }

    @Test func badModelsAndOptionsGiveTheContractsExitCodes() throws {
        let notAModel = home.appendingPathComponent("x.rf")
        try Data("hello".utf8).write(to: notAModel)
        let wrong = try cli.run(["eval", "genres", "--data", "Fixtures/catalog.csv", "--model", notAModel.path])
        #expect(wrong.status == 65)
        #expect(wrong.stderr.hasPrefix("moosic: error: ") && wrong.stderr.contains("not a moosic genre model"))

        let missing = try cli.run(["eval", "genres", "--data", "Fixtures/catalog.csv", "--model", home.appendingPathComponent("none.rf").path])
        #expect(missing.status == 66)

        let noModels = try cli.run(["eval", "genres", "--data", "Fixtures/catalog.csv"],
                                   environment: ["MOOSIC_MODELS": home.path])
        #expect(noModels.status == 78)

        let unknownGenre = try cli.run(["train", "genres", "--data", "Fixtures/catalog.csv", "--genres", "polka",
                                        "--out", home.appendingPathComponent("p.rf").path])
        #expect(unknownGenre.status == 65)
        #expect(unknownGenre.stderr.contains("polka"))

        let noTrees = try cli.run(["train", "genres", "--data", "Fixtures/catalog.csv", "--trees", "0",
                                   "--out", home.appendingPathComponent("z.rf").path])
        #expect(noTrees.status == 64)
    }
}
