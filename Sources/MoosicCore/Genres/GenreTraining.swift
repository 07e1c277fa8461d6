import Foundation
import MoosicML

/// Training and evaluating the genre forest on catalog CSVs (`moosic train genres`, `moosic eval genres`).
public enum GenreTraining {
    /// The shipped model's file name, found through MoosicIO's `MoosicEnvironment.modelURL`.
    public static let modelFileName = "genre_forest.rf"

    /// The rows of a catalog CSV (`name`: its file's name) as examples; invalid rows are skipped and
    /// counted (MoosicIO's `load(url:genres:)` reads the file).
    public static func load(contents: CatalogCSV.Contents, name: String, genres: [String]? = nil) throws -> (data: GenreData, invalidRows: Int) {
        let wanted = genres.map(Set.init)
        let data = GenreData(rows: contents.rows, genres: wanted)
        if let wanted {
            let missing = wanted.subtracting(data.genres).sorted()
            guard missing.isEmpty else {
                throw MoosicError.invalidData("\(name) has no rows of genre(s) \(missing.joined(separator: ", "))")
            }
        }
        guard data.count > 0 else { throw MoosicError.invalidData("\(name) has no valid rows to learn from") }
        return (data, contents.invalidRows)
    }

    public struct Evaluation: Sendable {
        public var metrics: GenreMetrics
        /// Rows left out because the model does not know their genre.
        public var skippedRows: Int
        public var predictSeconds: Double
    }

    public static func evaluate(_ model: RandomForest, on data: GenreData) -> Evaluation {
        let known = data.classification(classes: model.classes)
        let start = DispatchTime.now()
        let probabilities = model.probabilities(rows: known.features)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let metrics = GenreMetrics(probabilities: probabilities, labels: known.labels, classCount: model.classes.count)
        return Evaluation(metrics: metrics, skippedRows: data.count - known.rows, predictSeconds: seconds)
    }

    public struct Result: Sendable {
        public var model: RandomForest
        public var evaluation: Evaluation
        public var trainingRows: Int
        public var trainingSeconds: Double
    }

    /// A forest over the genres `data` has.
    public static func train(_ data: GenreData, settings: RandomForestSettings,
                             progress: (@Sendable (_ treesGrown: Int) -> Void)? = nil) throws -> RandomForest {
        let classes = data.distinctGenres
        return try RandomForest.train(data.classification(classes: classes), classes: classes,
                                      featureNames: GenreFeatures.names, settings: settings, progress: progress)
    }

    /// Trains on `training` over its genres and evaluates on `validation`.
    public static func trainAndEvaluate(training: GenreData, validation: GenreData, settings: RandomForestSettings,
                                        progress: (@Sendable (_ treesGrown: Int) -> Void)? = nil) throws -> Result {
        let start = DispatchTime.now()
        let model = try train(training, settings: settings, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Result(model: model, evaluation: evaluate(model, on: validation), trainingRows: training.count,
                      trainingSeconds: seconds)
    }

    /// The 90/10 split by track id (fold 0 of 10 is the validation part).
    public static func holdOut(_ data: GenreData, seed: UInt64) -> (training: GenreData, validation: GenreData) {
        let folds = data.folds(10, seed: seed)
        return (data.subset { folds[$0] != 0 }, data.subset { folds[$0] == 0 })
    }

    /// k-fold cross-validation by track id: one result per fold.
    public static func crossValidate(_ data: GenreData, folds: Int, settings: RandomForestSettings) throws -> [Result] {
        guard folds >= 2 else { throw MoosicError.usage("cross-validation needs at least 2 folds") }
        let fold = data.folds(folds, seed: settings.seed)
        return try (0..<folds).map { k in
            try trainAndEvaluate(training: data.subset { fold[$0] != k }, validation: data.subset { fold[$0] == k },
                                 settings: settings)
        }
    }
}
