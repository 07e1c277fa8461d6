import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The network and training options shared by `train emotion` and `eval emotion --cv`.
struct EmotionTrainingOptions: ParsableArguments {
    static let defaults = SongEmotionTraining.defaultSettings

    @Option(help: "Hidden layer sizes, comma-separated.") var hidden = defaults.hidden.map(String.init).joined(separator: ",")
    @Option(help: "adam or sgd (with momentum).") var optimizer = defaults.optimizer
    @Option(help: "Learning rate.") var learningRate = defaults.learningRate
    @Option(help: "Momentum of sgd.") var momentum = defaults.momentum
    @Option(help: "L2 penalty on the weights.") var l2 = defaults.l2
    @Option(help: "Mini-batch size.") var batchSize = defaults.batchSize
    @Option(help: "Most epochs.") var epochs = defaults.maxEpochs
    @Option(help: "Early stopping: epochs without improvement of the held-out loss.") var patience = defaults.patience
    @Option(help: "Seed: equal seeds give equal models.") var seed = defaults.seed
    @Option(help: "Input features, comma-separated and distinct, of \(EmotionFeature.allCases.map(\.rawValue).joined(separator: ", ")); the default is the 9 Moo-Sic features, duration_ms and explicit.")
    var features = EmotionFeatureList(EmotionFeature.standard)

    func settings() throws -> TrainingSettings {
        let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw MoosicError.usage("--hidden wants positive sizes like 64,32, got \(hidden)")
        }
        var settings = Self.defaults
        settings.hidden = sizes.map { $0! }
        settings.optimizer = optimizer
        settings.learningRate = learningRate
        settings.momentum = momentum
        settings.l2 = l2
        settings.batchSize = batchSize
        settings.maxEpochs = epochs
        settings.patience = patience
        settings.seed = seed
        return settings
    }
}

extension TrainingSettings.Optimizer: ExpressibleByArgument {}

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

/// Reading, printing and split files shared by the emotion commands.
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

    /// Writes "track_id,set" lines (set: the fold number, or train/validation) for the benchmark.
    static func writeSplit(_ path: String, ids: [String], sets: [String]) throws {
        var text = "track_id,set\n"
        for (id, set) in zip(ids, sets) { text += "\(id),\(set)\n" }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw MoosicError.internalFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

struct TrainEmotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotion",
        abstract: "Train the song-emotion network on the happy and sad rows of a CSV.",
        discussion: """
            Rows of genre happy are labelled 1, sad 0; invalid rows are skipped and a track listed \
            under both genres is left out. About 20% of the tracks (grouped, so copies of one song stay \
            together) are held out and measured; the network trains on the rest with early stopping \
            on about 10% more. The model is written to --out (default: MOOSIC_MODELS, else the shipped \
            Models/song_emotion.json); when that is the model in use, the store's scores are refreshed.
            """
    )

    @Option(help: "The CSV (columns of the Spotify Tracks dataset).") var data: String
    @Option(help: "Where to write the model.") var out: String?
    @Option(help: "Write each track's split (train/validation) to this CSV.") var splitOut: String?
    @Flag(help: "Print the validation metrics as JSON.") var json = false
    @OptionGroup var training: EmotionTrainingOptions

    func run() throws {
        let settings = try training.settings()
        let features = training.features.features
        let (contents, dataset) = try EmotionIO.readEmotionData(data, features: features, quiet: json)
        let result = try SongEmotionTraining.train(dataset, features: features, settings: settings)
        let environment = MoosicEnvironment.resolve()
        let url = try out.map { URL(fileURLWithPath: $0) } ?? SongEmotion.defaultModelURL(environment)
        try result.model.save(to: url)
        if let splitOut {
            try EmotionIO.writeSplit(splitOut, ids: dataset.trackIDs, sets: result.isValidation.map { $0 ? "validation" : "train" })
        }
        let refresh = try SongEmotion.refreshCatalog(environment, afterWriting: url)
        if json {
            try Output.printJSON(MetricsJSON(metrics: result.validation, fields: TrainJSON(seconds: result.seconds,
                                           epochs: result.report.epochs, best_epoch: result.report.bestEpoch,
                                           training_rows: result.trainingRows, invalid_rows: contents.invalidRows,
                                           conflicting_tracks: dataset.conflictingTracks, model: url.path,
                                           identity: result.model.identity, catalog_scored: refresh?.scored)))
            return
        }
        print(String(format: "trained on %d tracks in %.3f s (%d epochs, best %d)", result.trainingRows, result.seconds,
                     result.report.epochs, result.report.bestEpoch))
        print("validation (\(result.validation.n) tracks): " + EmotionIO.describe(result.validation))
        print("wrote \(url.path) (\(result.model.identity))")
        if let refresh {
            print(String(format: "scored %d catalog tracks in %.3f s", refresh.scored, refresh.seconds))
        }
    }

    struct TrainJSON: Encodable {
        var seconds: Double
        var epochs, best_epoch, training_rows, invalid_rows, conflicting_tracks: Int
        var model, identity: String
        var catalog_scored: Int?
    }
}

struct EvalEmotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotion",
        abstract: "Measure the song-emotion model on the happy and sad rows of a CSV.",
        discussion: """
            --cv K instead cross-validates the training procedure: K models, each trained on K−1 \
            folds of the tracks (grouped) and measured on the other; the metrics are their means. \
            --by-genre adds the mean score of every genre in the file.
            """
    )

    @Option(help: "The CSV (columns of the Spotify Tracks dataset).") var data: String
    @Option(help: "The model file (default: the model in use).") var model: String?
    @Option(help: "Cross-validate training with this many folds instead of measuring a model.") var cv: Int?
    @Flag(help: "Also give the mean emotion score of every genre in the file.") var byGenre = false
    @Option(help: "With --cv: write each track's fold to this CSV.") var splitOut: String?
    @Flag(help: "Print the metrics as JSON.") var json = false
    @OptionGroup var training: EmotionTrainingOptions

    func run() throws {
        if let cv {
            try crossValidate(k: cv)
            return
        }
        let environment = MoosicEnvironment.resolve()
        let url = try model.map { URL(fileURLWithPath: $0) } ?? environment.modelURL(SongEmotionModel.fileName)
        let loaded = try SongEmotionModel.load(from: url)
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
        print("\(loaded.identity): " + EmotionIO.describe(metrics))
        if let genres { printGenres(genres) }
    }

    func crossValidate(k: Int) throws {
        let features = training.features.features
        let (contents, dataset) = try EmotionIO.readEmotionData(data, features: features, quiet: json)
        let result = try SongEmotionTraining.crossValidate(dataset, features: features, settings: try training.settings(), k: k)
        if let splitOut { try EmotionIO.writeSplit(splitOut, ids: dataset.trackIDs, sets: result.foldOfRow.map(String.init)) }
        if json {
            try Output.printJSON(MetricsJSON(metrics: result.mean, fields: CVJSON(folds: k, per_fold: result.folds,
                                                                              seconds: result.seconds, invalid_rows: contents.invalidRows)))
            return
        }
        for (i, fold) in result.folds.enumerated() { print("fold \(i + 1): " + EmotionIO.describe(fold)) }
        print(String(format: "%d-fold mean (%.1f s): ", k, result.seconds) + EmotionIO.describe(result.mean))
    }

    func printGenres(_ genres: [SongEmotionTraining.GenreScore]) {
        let width = genres.map(\.genre.count).max() ?? 0
        print("mean emotion score by genre (lowest first):")
        for g in genres {
            print("  " + g.genre.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %.3f  (%d rows)", g.mean, g.tracks))
        }
    }

    struct EvalJSON: Encodable {
        var invalid_rows: Int
        var model: String
        var genres: [SongEmotionTraining.GenreScore]?
    }

    struct CVJSON: Encodable {
        var folds: Int
        var per_fold: [BinaryMetrics]
        var seconds: Double
        var invalid_rows: Int
    }
}
