import ArgumentParser
import Foundation
import MoosicCore
import MoosicIO
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The recipe's options, shared by `train emotion` and `eval emotion --cv`.
struct EmotionTrainingOptions: ParsableArguments {
    static let defaults = SongEmotionTraining.defaultRecipe

    @Option(help: "Hidden layer sizes of both networks, comma-separated.") var hidden = defaults.hidden.map(String.init).joined(separator: ",")
    @Option(help: "Adam's learning rate.") var learningRate = defaults.learningRate
    @Option(help: "L2 penalty on the weights.") var l2 = defaults.l2
    @Option(help: "Mini-batch size.") var batchSize = defaults.batchSize
    @Option(help: "Adam steps per network (no early stopping).") var steps = defaults.steps
    @Option(help: "Folds of the out-of-fold scores the calibration and the 4-mood map are fitted on.") var calibrationFolds = defaults.calibrationFolds
    @Option(help: "With --data: how many genre rows one listener-labelled song counts for.") var moodWeight = defaults.moodWeight
    @Option(help: "Seed: equal seeds give equal models.") var seed = defaults.seed
    @Option(help: "Input features, comma-separated and distinct, of \(EmotionFeature.allCases.map(\.rawValue).joined(separator: ", ")); the default is the 9 Moo-Sic features and duration_ms.")
    var features = EmotionFeatureList(EmotionFeature.standard)

    func recipe() throws -> EmotionRecipe {
        let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw MoosicError.usage("--hidden wants positive sizes like 16 or 32,16, got \(hidden)")
        }
        guard learningRate > 0, l2 >= 0, batchSize > 0, steps > 0, calibrationFolds >= 2, moodWeight > 0 else {
            throw MoosicError.usage("--learning-rate, --batch-size, --steps and --mood-weight must be positive, --l2 ≥ 0 and --calibration-folds ≥ 2")
        }
        guard features.features.allSatisfy({ ![.explicit, .mode, .popularity].contains($0) }) else {
            throw MoosicError.usage("--features: explicit and mode are not in the mood file, and popularity would make every hit song sad; leave them out")
        }
        return EmotionRecipe(hidden: sizes.map { $0! }, learningRate: learningRate, l2: l2, batchSize: batchSize, steps: steps,
                             calibrationFolds: calibrationFolds, moodWeight: moodWeight, seed: seed)
    }
}

/// `--features a,b,c`: known features, each once.
struct EmotionFeatureList: ExpressibleByArgument {
    var features: [EmotionFeature]

    init(_ features: [EmotionFeature]) {
        self.features = features
    }

    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let features = names.compactMap(EmotionFeature.init(rawValue:))
        guard !features.isEmpty, features.count == names.count, Set(features).count == features.count else { return nil }
        self.features = features
    }

    var defaultValueDescription: String { features.map(\.rawValue).joined(separator: ",") }

    static var defaultCompletionKind: CompletionKind { .list(EmotionFeature.allCases.map(\.rawValue)) }
}

/// A JSON object of the metrics' keys (`BinaryMetrics`'s: n, accuracy, …, confusion) and
/// `fields`' keys side by side, the layout of the emotion commands' `--json`.
struct MetricsJSON<Fields: Encodable>: Encodable {
    var metrics: BinaryMetrics
    var fields: Fields

    func encode(to encoder: Encoder) throws {
        try metrics.encode(to: encoder)
        try fields.encode(to: encoder)
    }
}

/// Reading and printing shared by the emotion commands.
enum EmotionIO {
    static func describe(_ m: BinaryMetrics) -> String {
        String(format: "accuracy %.4f  precision %.4f  recall %.4f  F1 %.4f  ROC AUC %.4f", m.accuracy, m.precision, m.recall, m.f1, m.auc)
            + "\n  confusion (rows: true sad, happy; columns: predicted sad, happy): \(m.confusion)"
    }

    static func readEmotionData(_ path: String, features: [EmotionFeature], quiet: Bool) throws -> (CatalogCSV.Contents, EmotionDataset) {
        let contents = try CatalogCSV.read(url: URL(fileURLWithPath: path))
        let dataset = EmotionDataset(rows: contents.rows, features: features)
        if !quiet {
            print("\(path): \(dataset.count) tracks labelled happy/sad"
                  + (contents.invalidRows > 0 ? ", \(contents.invalidRows) invalid row(s) skipped" : "")
                  + (dataset.conflictingTracks > 0 ? ", \(dataset.conflictingTracks) track(s) under both genres left out" : "")
                  + (dataset.duplicateRows > 0 ? ", \(dataset.duplicateRows) repeated row(s) ignored" : ""))
        }
        return (contents, dataset)
    }

    static func describe(_ a: MoodAgreement) -> String {
        String(format: "Happy vs Sad (%d songs): accuracy %.4f  ROC AUC %.4f  ECE %.4f\n", a.happySad.n, a.happySad.accuracy, a.happySad.auc, a.happySad.ece)
            + String(format: "Energetic vs Calm (%d songs): accuracy %.4f  ROC AUC %.4f  ECE %.4f\n", a.energeticCalm.n, a.energeticCalm.accuracy, a.energeticCalm.auc, a.energeticCalm.ece)
            + String(format: "4 moods (%d songs): accuracy %.4f (the fitted map over both outputs); Russell's quadrants at 0.5: %.4f", a.n, a.fourMoods, a.quadrants)
    }

    static func readMoods(_ path: String, quiet: Bool) throws -> MoodSongsCSV.Contents {
        let contents = try MoodSongsCSV.read(url: URL(fileURLWithPath: path))
        if !quiet {
            let counts = SongMood.allCases.map { m in "\(m.rawValue) \(contents.songs.filter { $0.mood == m }.count)" }
            print("\(path): \(contents.songs.count) songs (\(counts.joined(separator: ", ")))"
                  + (contents.invalidRows > 0 ? ", \(contents.invalidRows) invalid row(s) skipped" : ""))
        }
        return contents
    }
}

struct TrainEmotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotion",
        abstract: "Train the song-emotion networks (P(happy), P(energetic)) on songs listeners filed under a mood.",
        discussion: """
            --moods: a CSV with the columns of moods_dev.csv (mood: Happy, Sad, Calm or Energetic). The happy \
            network learns Happy (1) vs Sad (0), the energy network all four moods as Calm 0, Sad ⅓, Happy ⅔, \
            Energetic 1; the happy output is calibrated (Platt) and a 4-mood map fitted on out-of-fold scores \
            (folds by artist). --data adds the Moo-Sic genre rows (track_genre happy 1, sad 0) to the happy \
            network, each listener song counted --mood-weight times. First the recipe is cross-validated by \
            artist (--cv folds); then the model is trained on every song and written to --out (default: \
            MOOSIC_MODELS, else the shipped Models/song_emotion.json); when that is the model in use, the \
            store's scores are refreshed.
            """
    )

    @Option(help: "Songs with listeners' moods (columns of moods_dev.csv).") var moods: String?
    @Option(help: "Also train the happy output on the happy/sad genre rows of this catalog CSV.") var data: String?
    @Option(help: "Where to write the model.") var out: String?
    @Option(help: "Artist-grouped folds of the cross-validation reported before training (0: none).") var cv = 5
    @Option(help: "Write each song's fold (track_id,set) to this CSV.") var splitOut: String?
    @Flag(help: "Print the metrics as JSON.") var json = false
    @OptionGroup var training: EmotionTrainingOptions

    func run() throws {
        guard let moods else {
            throw MoosicError.usage("train emotion needs --moods <csv>: songs listeners filed under Happy, Sad, Calm or Energetic (the development data's moods/moods_dev.csv, docs/data-sources.md); the genre proxy of --data alone disagrees with listeners (Models/song_emotion.md)")
        }
        let recipe = try training.recipe()
        let features = training.features.features
        let contents = try EmotionIO.readMoods(moods, quiet: json)
        let genreRows = try data.map { try EmotionIO.readEmotionData($0, features: features, quiet: json).1 }
        let report = try TrainSongEmotion.run(songs: contents.songs, genreRows: genreRows, features: features, recipe: recipe,
                                              folds: cv, modelURL: out.map { URL(fileURLWithPath: $0) }, splitFile: splitOut,
                                              installation: Installation.current())
        let model = report.model
        if json {
            try Output.printJSON(TrainJSON(agreement: report.validation?.mean, fields: .init(
                seconds: report.seconds, songs: contents.songs.count, genre_rows: genreRows?.count, invalid_rows: contents.invalidRows,
                calibration: model.calibration, model: report.modelURL.path, identity: model.identity,
                catalog_scored: report.refresh?.scored)))
            return
        }
        print(String(format: "trained on %d songs%@ in %.2f s", contents.songs.count,
                     genreRows.map { " and \($0.count) genre rows" } ?? "", report.seconds))
        if let validation = report.validation {
            print("\(cv)-fold cross-validation by artist:\n" + EmotionIO.describe(validation.mean))
        }
        print(String(format: "calibration of the happy output: P = σ(%.3f · logit + %.3f)", model.calibration.a, model.calibration.b))
        print("wrote \(report.modelURL.path) (\(model.identity))")
        if let refresh = report.refresh {
            print(String(format: "scored %d catalog tracks in %.3f s", refresh.scored, refresh.seconds))
        }
    }

    /// The cross-validated agreement (its keys at the top level, the happy axis also flattened into
    /// n/accuracy/auc/ece as the earlier command printed them) and what was trained.
    struct TrainJSON: Encodable {
        var agreement: MoodAgreement?
        var fields: Fields

        struct Fields: Encodable {
            var seconds: Double
            var songs: Int
            var genre_rows: Int?
            var invalid_rows: Int
            var calibration: PlattScaling
            var model, identity: String
            var catalog_scored: Int?
        }

        enum Keys: String, CodingKey { case accuracy, auc, ece }

        func encode(to encoder: Encoder) throws {
            try agreement?.encode(to: encoder)
            if let happy = agreement?.happySad {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(happy.accuracy, forKey: .accuracy)
                try c.encode(happy.auc, forKey: .auc)
                try c.encode(happy.ece, forKey: .ece)
            }
            try fields.encode(to: encoder)
        }
    }
}

struct EvalEmotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotion",
        abstract: "Measure the song-emotion model against listeners' moods (--moods) or the Moo-Sic genre task (--data).",
        discussion: """
            --moods F: Happy vs Sad on the happy output and Energetic vs Calm on the energy output (n, accuracy, \
            ROC AUC, ECE), and 4-mood accuracy from the two outputs. --data F: the Moo-Sic task, the happy output \
            on the rows of genre happy (1) and sad (0); --by-genre adds both outputs' mean on every genre. \
            --cv K (with --moods) instead cross-validates the recipe by artist, once per --seeds seed.
            """
    )

    @Option(help: "Songs with listeners' moods (columns of moods_dev.csv).") var moods: String?
    @Option(help: "A catalog CSV (columns of the Spotify Tracks dataset): the Moo-Sic genre task.") var data: String?
    @Option(help: "The model file (default: the model in use).") var model: String?
    @Option(help: "With --moods: cross-validate the recipe with this many artist-grouped folds instead of measuring a model.") var cv: Int?
    @Option(help: "With --cv: seeds of the fold assignment, comma-separated.") var seeds = "1,2,3"
    @Flag(help: "With --data: also give both outputs' mean on every genre in the file.") var byGenre = false
    @Option(help: "With --cv: write each song's fold (first seed) to this CSV.") var splitOut: String?
    @Flag(help: "Print the metrics as JSON.") var json = false
    @OptionGroup var training: EmotionTrainingOptions

    func run() throws {
        if let cv {
            guard let moods else {
                throw MoosicError.usage("--cv cross-validates the recipe, which trains on listeners' moods: give --moods <csv>")
            }
            try crossValidate(moods: moods, k: cv)
            return
        }
        guard moods != nil || data != nil else {
            throw MoosicError.usage("eval emotion needs --moods <csv> (listeners' moods) or --data <csv> (the Moo-Sic genre task)")
        }
        let environment = try Installation.current().environment
        let url = try model.map { URL(fileURLWithPath: $0) } ?? environment.modelURL(SongEmotionModel.fileName)
        let loaded = try SongEmotionModel.load(from: url)
        if let moods {
            let contents = try EmotionIO.readMoods(moods, quiet: json)
            guard !contents.songs.isEmpty else { throw MoosicError.invalidData("\(moods) has no valid songs to measure on") }
            let agreement = MoodAgreement(model: loaded, songs: contents.songs)
            if json {
                try Output.printJSON(MoodsJSON(agreement: agreement, fields: MoodsFields(invalid_rows: contents.invalidRows, model: loaded.identity)))
            } else {
                print("\(loaded.identity):\n" + EmotionIO.describe(agreement))
            }
            return
        }
        guard let data else { return }
        let (contents, dataset) = try EmotionIO.readEmotionData(data, features: loaded.features, quiet: json)
        guard dataset.count > 0 else {
            throw MoosicError.invalidData("\(data) has no rows of genre happy or sad to measure on")
        }
        let metrics = SongEmotionTraining.evaluate(loaded, dataset.data)
        let genres = byGenre ? SongEmotionTraining.genreMeans(loaded, rows: contents.rows) : nil
        if json {
            try Output.printJSON(MetricsJSON(metrics: metrics, fields: EvalJSON(invalid_rows: contents.invalidRows,
                                                                                model: loaded.identity, genres: genres)))
            return
        }
        print("\(loaded.identity) on the Moo-Sic genre task: " + EmotionIO.describe(metrics))
        if let genres { printGenres(genres) }
    }

    func crossValidate(moods: String, k: Int) throws {
        let seedList = seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !seedList.isEmpty, seedList.count == seeds.split(separator: ",").count else {
            throw MoosicError.usage("--seeds wants whole numbers like 1,2,3, got \(seeds)")
        }
        let features = training.features.features
        let recipe = try training.recipe()
        let contents = try EmotionIO.readMoods(moods, quiet: json)
        let genreRows = try data.map { try EmotionIO.readEmotionData($0, features: features, quiet: json).1 }
        let result = try SongEmotionTraining.crossValidate(songs: contents.songs, genreRows: genreRows, features: features,
                                                           recipe: recipe, k: k, seeds: seedList)
        if let splitOut { try TrainSongEmotion.writeSplit(splitOut, ids: contents.songs.map(\.track.id), sets: result.foldOfSong.map(String.init)) }
        if json {
            try Output.printJSON(MoodsJSON(agreement: result.mean, fields: CVJSON(folds: k, seeds: seedList, sd: result.spread,
                                                                             per_fold: result.folds, seconds: result.seconds,
                                                                             invalid_rows: contents.invalidRows)))
            return
        }
        print(String(format: "%d-fold cross-validation by artist × %d seed(s), mean of %d folds (%.1f s):\n", k, seedList.count,
                     result.folds.count, result.seconds) + EmotionIO.describe(result.mean))
        print(String(format: "sd over folds: Happy vs Sad AUC %.3f, accuracy %.3f; Energetic vs Calm AUC %.3f; 4 moods %.3f",
                     result.spread["happy_sad_auc"] ?? 0, result.spread["happy_sad_accuracy"] ?? 0,
                     result.spread["energetic_calm_auc"] ?? 0, result.spread["four_moods"] ?? 0))
    }

    func printGenres(_ genres: [SongEmotionTraining.GenreScore]) {
        let width = genres.map(\.genre.count).max() ?? 0
        print("mean P(happy) and P(energetic) by genre (lowest P(happy) first):")
        for g in genres {
            print("  " + g.genre.padding(toLength: width, withPad: " ", startingAt: 0)
                  + String(format: "  %.3f  %.3f  (%d rows)", g.mean, g.arousal, g.tracks))
        }
    }

    /// A `MoodAgreement`'s keys and `fields`' keys side by side.
    struct MoodsJSON<Fields: Encodable>: Encodable {
        var agreement: MoodAgreement
        var fields: Fields

        func encode(to encoder: Encoder) throws {
            try agreement.encode(to: encoder)
            try fields.encode(to: encoder)
        }
    }

    struct MoodsFields: Encodable {
        var invalid_rows: Int
        var model: String
    }

    struct EvalJSON: Encodable {
        var invalid_rows: Int
        var model: String
        var genres: [SongEmotionTraining.GenreScore]?
    }

    struct CVJSON: Encodable {
        var folds: Int
        var seeds: [UInt64]
        var sd: [String: Double]
        var per_fold: [MoodAgreement]
        var seconds: Double
        var invalid_rows: Int
    }
}
