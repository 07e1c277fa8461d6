import ArgumentParser
import Foundation
import MoosicCore
import MoosicIO
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// `--genres a,b,c`, shared by train and eval.
private func parseGenres(_ list: String?) throws -> [String]? {
    guard let list else { return nil }
    let genres = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !genres.isEmpty else { throw MoosicError.usage("--genres needs at least one genre") }
    return genres
}

private func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

private func percent(_ value: Double) -> String { String(format: "%.2f %%", value * 100) }

struct TrainGenresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genres",
        abstract: "Train the genre random forest on a catalog CSV's audio features.",
        discussion: """
            Splits by track id (a track's rows stay on one side): trains on 90 % and reports accuracy, \
            macro-F1 and top-5 on the other 10 %, or on --test, or by --cv k-fold cross-validation. \
            Invalid rows are skipped and counted.
            """
    )

    @Option(help: "The training CSV (columns of the Spotify Tracks dataset).") var data: String
    @Option(help: "Train on these genres only (comma-separated).") var genres: String?
    @Option(help: "Number of trees.") var trees = 160
    @Option(help: "Maximum tree depth (default: unlimited).") var maxDepth: Int?
    @Option(help: "Minimum training samples in a leaf.") var minLeaf = 1
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Threads (default: every core); the model is the same for any count.") var threads: Int?
    @Option(help: "Evaluate on this CSV and train on all of --data.") var test: String?
    @Option(help: "k-fold cross-validation by track id instead of one split; writes no model.") var cv: Int?
    @Option(help: "Where to write the model.") var out = GenreTraining.modelFileName
    @Flag(help: "Print the metrics as JSON.") var json = false

    func run() throws {
        if cv != nil, test != nil { throw MoosicError.usage("--cv and --test are alternatives: give one") }
        let settings = RandomForestSettings(trees: trees, maxDepth: maxDepth, minSamplesLeaf: minLeaf, seed: seed,
                                            threads: threads)
        let wanted = try parseGenres(genres)
        let (all, invalid) = try GenreTraining.load(url: URL(fileURLWithPath: data), genres: wanted)
        if invalid > 0 { note("skipped \(invalid) invalid row(s) of \(data)") }

        if let cv {
            let results = try GenreTraining.crossValidate(all, folds: cv, settings: settings)
            let folds = results.map(\.evaluation.metrics)
            let mean = GenreMetrics.mean(folds)
            let report = CrossValidationJSON(
                n: mean.n, accuracy: mean.accuracy, macro_f1: mean.macroF1, top5: mean.top5,
                seconds: results.reduce(0) { $0 + $1.trainingSeconds }, folds: folds, invalid_rows: invalid)
            if json { try Output.printJSON(report); return }
            for (k, r) in results.enumerated() {
                let m = r.evaluation.metrics
                print("fold \(k + 1)/\(cv): accuracy \(percent(m.accuracy)), macro-F1 \(percent(m.macroF1)), top-5 \(percent(m.top5)) on \(m.n) rows")
            }
            print("\(cv)-fold cross-validation by track id, \(all.distinctGenres.count) genres, \(trees) trees: "
                  + "accuracy \(percent(report.accuracy)), macro-F1 \(percent(report.macro_f1)), top-5 \(percent(report.top5)) "
                  + "(training \(String(format: "%.1f", report.seconds)) s in all)")
            return
        }

        let training: GenreData, validation: GenreData
        if let test {
            let (testData, testInvalid) = try GenreTraining.load(url: URL(fileURLWithPath: test), genres: wanted)
            if testInvalid > 0 { note("skipped \(testInvalid) invalid row(s) of \(test)") }
            (training, validation) = (all, testData)
        } else {
            (training, validation) = GenreTraining.holdOut(all, seed: seed)
        }
        let progress = ProgressReporter(label: "training \(trees) trees on \(training.count) rows", json: json)
        let result = try ProgressReporter.finishing(progress) {
            try GenreTraining.trainAndEvaluate(training: training, validation: validation, settings: settings,
                                               progress: progress.map(Self.treeCounter(of: trees)))
        }
        try result.model.write(to: URL(fileURLWithPath: out))
        let m = result.evaluation.metrics
        let report = TrainJSON(n: m.n, accuracy: m.accuracy, macro_f1: m.macroF1, top5: m.top5,
                               seconds: result.trainingSeconds, oob_score: result.model.oobScore,
                               training_rows: result.trainingRows, genres: result.model.classes.count,
                               nodes: result.model.nodeCount, invalid_rows: invalid)
        if json { try Output.printJSON(report); return }
        print("trained \(trees) trees on \(result.trainingRows) rows of \(result.model.classes.count) genres "
              + "in \(String(format: "%.1f", result.trainingSeconds)) s (\(result.model.nodeCount) nodes) → \(out)")
        print("validation (\(m.n) rows): accuracy \(percent(m.accuracy)), macro-F1 \(percent(m.macroF1)), top-5 \(percent(m.top5))")
        if let oob = result.model.oobScore { print("out-of-bag accuracy: \(percent(oob))") }
        let ranked = zip(result.model.featureNames, result.model.featureImportances).sorted { $0.1 > $1.1 }
        print("feature importances: " + ranked.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", "))
    }

    /// The trees-grown callback that shows `trees` trees' progress on `reporter`.
    static func treeCounter(of trees: Int) -> (ProgressReporter) -> @Sendable (Int) -> Void {
        { reporter in { grown in reporter.update(done: grown, of: trees, "trees") } }
    }

    struct TrainJSON: Encodable {
        var n: Int
        var accuracy, macro_f1, top5, seconds: Double
        var oob_score: Double?
        var training_rows, genres, nodes, invalid_rows: Int
    }

    struct CrossValidationJSON: Encodable {
        var n: Int
        var accuracy, macro_f1, top5, seconds: Double
        var folds: [GenreMetrics]
        var invalid_rows: Int
    }
}

struct EvalGenresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genres",
        abstract: "Measure the genre forest on a catalog CSV: accuracy, macro-F1, top-5.",
        discussion: "Rows of genres the model does not know are skipped and counted; so are invalid rows."
    )

    @Option(help: "The CSV to evaluate on (columns of the Spotify Tracks dataset).") var data: String
    @Option(help: "Evaluate on rows of these genres only (comma-separated).") var genres: String?
    @Option(help: "The model file (default: genre_forest.rf in MOOSIC_MODELS or the shipped Models/).") var model: String?
    @Flag(help: "Print the metrics as JSON.") var json = false

    func run() throws {
        let url = try model.map { URL(fileURLWithPath: $0) } ?? Installation.current().environment.modelURL(GenreTraining.modelFileName)
        let forest = try RandomForest.loadGenreModel(from: url)
        let wanted = try parseGenres(genres)
        if let wanted {
            let unknown = Set(wanted).subtracting(forest.classes).sorted()
            guard unknown.isEmpty else {
                throw MoosicError.usage("the model does not know genre(s) \(unknown.joined(separator: ", "))")
            }
        }
        let (data, invalid) = try GenreTraining.load(url: URL(fileURLWithPath: self.data), genres: wanted)
        if invalid > 0 { note("skipped \(invalid) invalid row(s) of \(self.data)") }
        let evaluation = GenreTraining.evaluate(forest, on: data)
        let m = evaluation.metrics
        let perSecond = evaluation.predictSeconds > 0 ? Double(m.n) / evaluation.predictSeconds : 0
        if json {
            try Output.printJSON(EvalJSON(n: m.n, accuracy: m.accuracy, macro_f1: m.macroF1, top5: m.top5,
                                   predict_seconds: evaluation.predictSeconds, rows_per_second: perSecond,
                                   skipped_rows: evaluation.skippedRows, invalid_rows: invalid))
            return
        }
        print("\(m.n) rows, \(forest.classes.count) genres: accuracy \(percent(m.accuracy)), macro-F1 \(percent(m.macroF1)), top-5 \(percent(m.top5))")
        print(String(format: "prediction: %.3f s (%.0f rows/s)", evaluation.predictSeconds, perSecond))
        if evaluation.skippedRows > 0 { print("skipped \(evaluation.skippedRows) row(s) of genres the model does not know") }
    }

    struct EvalJSON: Encodable {
        var n: Int
        var accuracy, macro_f1, top5, predict_seconds, rows_per_second: Double
        var skipped_rows, invalid_rows: Int
    }
}
