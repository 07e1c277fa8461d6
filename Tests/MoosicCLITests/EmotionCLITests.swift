import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// End-to-end: `train emotion`, `eval emotion` and the scores `catalog import` writes.
@Suite struct EmotionCLITests {
    let home: URL
    let models: URL
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
        home = cli.home
        models = home.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    }

    var environment: [String: String] { ["MOOSIC_MODELS": models.path] }

    struct Metrics: Decodable {
        var n: Int
        var accuracy, precision, recall, f1, auc: Double
        var seconds: Double?
        var catalog_scored: Int?
    }

    // A tiny, quick network: these tests check the plumbing, the model card the quality.
    let quick = ["--hidden", "8", "--epochs", "15", "--json"]

    @Test func trainWritesTheModelThenEvalAndImportUseIt() throws {
        let trained = try cli.run(["train", "emotion", "--data", "Fixtures/catalog.csv"] + quick, environment: environment)
        #expect(trained.status == 0, "\(trained.stderr)")
        let metrics = try JSONDecoder().decode(Metrics.self, from: Data(trained.stdout.utf8))
        #expect(metrics.n > 300 && metrics.accuracy > 0.8 && metrics.seconds != nil)
        #expect(metrics.catalog_scored == nil, "no store yet, nothing to score")
        #expect(FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))

        let evaluated = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv", "--json"], environment: environment)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let eval = try JSONDecoder().decode(Metrics.self, from: Data(evaluated.stdout.utf8))
        #expect(eval.n > 1500 && eval.auc > 0.9)

        let imported = try cli.run(["catalog", "import", "Fixtures/catalog.csv", "--json"], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"emotion_scored\":"))
        let stats = try cli.run(["catalog", "stats", "--json"], environment: environment)
        let all = try #require(stats.stdout.firstMatch(of: /"tracks":(\d+)/)).1
        #expect(stats.stdout.contains("\"tracks_with_emotion\":\(all)"))

        // Retraining with another seed changes the model in use: the store is re-scored.
        let retrained = try cli.run(["train", "emotion", "--data", "Fixtures/catalog.csv", "--seed", "7"] + quick,
                                    environment: environment)
        #expect(try JSONDecoder().decode(Metrics.self, from: Data(retrained.stdout.utf8)).catalog_scored == Int(all))
    }

    @Test func refusesACorruptModelAndReportsAMissingOne() throws {
        let missing = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv"], environment: environment)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("song_emotion.json not found"))
        let bad = models.appendingPathComponent("song_emotion.json")
        try Data(#"{"kind":"moosic.song-emotion-mlp","version":9}"#.utf8).write(to: bad)
        let refused = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv"], environment: environment)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("moosic: error: ") && refused.stderr.contains("version 9"))
    }

    @Test func missingDataExits66AndDataWithoutHappyOrSadRowsExits65() throws {
        let missing = try cli.run(["train", "emotion", "--data", "no-such.csv"], environment: environment)
        #expect(missing.status == 66)
        let rockOnly = home.appendingPathComponent("rock.csv")
        let lines = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"), encoding: .utf8).split(separator: "\n")
        let text = ([lines[0]] + lines.filter { $0.hasSuffix(",rock") }).joined(separator: "\n")
        try Data(text.utf8).write(to: rockOnly)
        let refused = try cli.run(["train", "emotion", "--data", rockOnly.path], environment: environment)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("happy") && refused.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))
    }

    @Test func anUnknownOptimizerOrFeatureIsAUsageError() throws {
        let optimizer = try cli.run(["train", "emotion", "--data", "Fixtures/catalog.csv", "--optimizer", "rmsprop"],
                                    environment: environment)
        #expect(optimizer.status == 64)
        #expect(optimizer.stderr == "moosic: error: The value 'rmsprop' is invalid for '--optimizer <optimizer>'. Please provide one of 'sgd' and 'adam'. (see `moosic --help`)\n")
        for list in ["danceability,colour", "energy,energy", ","] {
            let features = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv", "--cv", "3", "--features", list],
                                       environment: environment)
            #expect(features.status == 64)
            #expect(features.stderr == "moosic: error: The value '\(list)' is invalid for '--features <features>' (see `moosic --help`)\n")
        }
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))
    }

    @Test func sgdAndAChosenFeatureListTrain() throws {
        let trained = try cli.run(["train", "emotion", "--data", "Fixtures/catalog.csv", "--optimizer", "sgd",
                                   "--features", "energy, loudness,acousticness"] + quick, environment: environment)
        #expect(trained.status == 0, "\(trained.stderr)")
        let model = try SongEmotionModel.load(from: models.appendingPathComponent("song_emotion.json"))
        #expect(model.features == [.energy, .loudness, .acousticness])
        #expect(model.settings.optimizer == .sgd && model.settings.hidden == [8])
    }

    @Test func crossValidationGivesTheContractKeysAndFolds() throws {
        let result = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv", "--cv", "3"] + quick,
                                 environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        for key in ["\"n\":", "\"accuracy\":", "\"precision\":", "\"recall\":", "\"f1\":", "\"auc\":", "\"folds\":3"] {
            #expect(result.stdout.contains(key), "missing \(key)")
        }
    }
}
