import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
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
    }

    struct Axis: Decodable { var n: Int; var accuracy, auc, ece: Double }
    struct Agreement: Decodable {
        var n: Int
        var happy_sad, energetic_calm: Axis
        var four_moods, quadrants: Double
        var seconds: Double?
        var catalog_scored: Int?
        var folds: Int?
        var per_fold: [Axis?]?
    }

    // A tiny, quick recipe: these tests check the plumbing, the model card the quality.
    let quick = ["--hidden", "8", "--steps", "200", "--calibration-folds", "3", "--json"]

    func moodsFile(perMood: Int = 24, seed: UInt64 = 1) throws -> String {
        let url = home.appendingPathComponent("moods-\(seed).csv")
        try Data(moodsCSV(perMood: perMood, seed: seed).utf8).write(to: url)
        return url.path
    }

    @Test func trainWritesTheModelThenEvalAndImportUseIt() throws {
        let moods = try moodsFile()
        let trained = try cli.run(["train", "emotion", "--moods", moods, "--cv", "3"] + quick, environment: environment)
        #expect(trained.status == 0, "\(trained.stderr)")
        let agreement = try JSONDecoder().decode(Agreement.self, from: Data(trained.stdout.utf8))
        #expect(agreement.n == 96 && agreement.happy_sad.n == 48 && agreement.seconds != nil)
        #expect(agreement.happy_sad.auc > 0.8 && agreement.energetic_calm.auc > 0.8)
        #expect(trained.stdout.contains("\"calibration\":{\"a\":"))
        #expect(agreement.catalog_scored == nil, "no store yet, nothing to score")
        #expect(FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))

        // Measured on other songs, with the contract's keys.
        let evaluated = try cli.run(["eval", "emotion", "--moods", try moodsFile(perMood: 12, seed: 5), "--json"], environment: environment)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let eval = try JSONDecoder().decode(Agreement.self, from: Data(evaluated.stdout.utf8))
        #expect(eval.n == 48 && eval.happy_sad.n == 24 && eval.energetic_calm.n == 24 && eval.four_moods > 0.5)
        // The Moo-Sic genre task keeps its command and keys.
        let mooSic = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv", "--by-genre", "--json"], environment: environment)
        #expect(mooSic.status == 0, "\(mooSic.stderr)")
        let metrics = try JSONDecoder().decode(Metrics.self, from: Data(mooSic.stdout.utf8))
        #expect(metrics.n > 1500 && mooSic.stdout.contains("\"arousal\":"))

        let imported = try cli.run(["catalog", "import", "Fixtures/catalog.csv", "--json"], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"emotion_scored\":"))
        let stats = try cli.run(["catalog", "stats", "--json"], environment: environment)
        let all = try #require(stats.stdout.firstMatch(of: /"tracks":(\d+)/)).1
        #expect(stats.stdout.contains("\"tracks_with_emotion\":\(all)"))

        // Retraining with another seed changes the model in use: the store is re-scored.
        let retrained = try cli.run(["train", "emotion", "--moods", moods, "--cv", "0", "--seed", "7"] + quick,
                                    environment: environment)
        #expect(retrained.stdout.contains("\"catalog_scored\":\(all)"), "\(retrained.stdout)")
    }

    @Test func refusesACorruptModelAndReportsAMissingOne() throws {
        let missing = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv"], environment: environment)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("song_emotion.json not found"))
        let bad = models.appendingPathComponent("song_emotion.json")
        try Data(#"{"kind":"moosic.song-emotion-mlp","version":9}"#.utf8).write(to: bad)
        let refused = try cli.run(["eval", "emotion", "--moods", try moodsFile()], environment: environment)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("moosic: error: ") && refused.stderr.contains("version 9"))
    }

    @Test func missingDataExits66AndBadMoodFilesExit65() throws {
        let missing = try cli.run(["train", "emotion", "--moods", "no-such.csv"], environment: environment)
        #expect(missing.status == 66)
        // A catalog file given as moods: one line that says which option reads it.
        let catalog = try cli.run(["train", "emotion", "--moods", "Fixtures/catalog.csv"], environment: environment)
        #expect(catalog.status == 65)
        #expect(catalog.stderr.contains("use --data for it") && catalog.stderr.split(separator: "\n").count == 1)
        // Songs of only two moods cannot train the energy scale.
        let lines = try moodsCSV(perMood: 10).split(separator: "\n")
        let twoMoods = home.appendingPathComponent("two.csv")
        try Data(([lines[0]] + lines.filter { $0.hasSuffix(",Happy") || $0.hasSuffix(",Sad") }).joined(separator: "\n").utf8).write(to: twoMoods)
        let refused = try cli.run(["train", "emotion", "--moods", twoMoods.path], environment: environment)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("all four moods") && refused.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))
    }

    @Test func usageErrorsNameWhatIsMissing() throws {
        let noMoods = try cli.run(["train", "emotion", "--data", "Fixtures/catalog.csv"], environment: environment)
        #expect(noMoods.status == 64)
        #expect(noMoods.stderr.contains("train emotion needs --moods <csv>"))
        let cvWithoutMoods = try cli.run(["eval", "emotion", "--data", "Fixtures/catalog.csv", "--cv", "3"], environment: environment)
        #expect(cvWithoutMoods.status == 64 && cvWithoutMoods.stderr.contains("give --moods <csv>"))
        let nothing = try cli.run(["eval", "emotion"], environment: environment)
        #expect(nothing.status == 64)
        for list in ["danceability,colour", "energy,energy", ","] {
            let features = try cli.run(["eval", "emotion", "--moods", "x.csv", "--cv", "3", "--features", list],
                                       environment: environment)
            #expect(features.status == 64)
            #expect(features.stderr == "moosic: error: The value '\(list)' is invalid for '--features <features>' (see `moosic --help`)\n")
        }
        let explicit = try cli.run(["train", "emotion", "--moods", try moodsFile(), "--features", "energy,explicit"], environment: environment)
        #expect(explicit.status == 64 && explicit.stderr.contains("explicit and mode are not in the mood file"))
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("song_emotion.json").path))
    }

    @Test func aChosenFeatureListAndGenreRowsTrain() throws {
        let trained = try cli.run(["train", "emotion", "--moods", try moodsFile(), "--data", "Fixtures/catalog.csv", "--cv", "0",
                                   "--features", "energy, loudness,acousticness"] + quick, environment: environment)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("\"genre_rows\":"))
        let model = try SongEmotionModel.load(from: models.appendingPathComponent("song_emotion.json"))
        #expect(model.features == [.energy, .loudness, .acousticness])
        #expect(model.recipe.hidden == [8] && model.happiness.sizes == [3, 8, 1] && model.arousal.sizes == [3, 8, 1])
    }

    @Test func crossValidationGivesTheContractKeysAndFolds() throws {
        let result = try cli.run(["eval", "emotion", "--moods", try moodsFile(), "--cv", "3", "--seeds", "1,2"] + quick,
                                 environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        for key in ["\"n\":", "\"happy_sad\":", "\"energetic_calm\":", "\"four_moods\":", "\"quadrants\":", "\"folds\":3",
                    "\"seeds\":[1,2]", "\"sd\":", "\"auc\":", "\"ece\":"] {
            #expect(result.stdout.contains(key), "missing \(key)")
        }
    }
}
