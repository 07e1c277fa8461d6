import Foundation
import MoosicML

/// The labelled rows of the song-emotion task: catalog rows of genre `happy` (1) and `sad` (0),
/// the Moo-Sic assumption, one row per track id.
public struct EmotionDataset: Sendable {
    public static let happyGenre = "happy"
    public static let sadGenre = "sad"

    public var trackIDs: [String]
    /// The rows, each track's features and label; tracks that share their features (the same
    /// recording under several ids) share a group, so no split puts one copy in training and
    /// another in validation.
    public var data: Dataset
    /// Track ids found under both `happy` and `sad`: left out, their label is unknowable.
    public var conflictingTracks: Int
    /// Further rows of an id already taken (the same track listed twice under one genre).
    public var duplicateRows: Int

    public init(rows: [CatalogRow], features: [EmotionFeature]) {
        var label: [String: Int] = [:]
        var conflicted = Set<String>()
        var first: [String: CatalogTrack] = [:]
        var order: [String] = []
        var duplicates = 0
        for row in rows {
            let y: Int
            switch row.genre {
            case Self.happyGenre: y = 1
            case Self.sadGenre: y = 0
            default: continue
            }
            let id = row.track.id
            if let seen = label[id] {
                if seen != y { conflicted.insert(id) } else { duplicates += 1 }
                continue
            }
            label[id] = y
            first[id] = row.track
            order.append(id)
        }
        let kept = order.filter { !conflicted.contains($0) }
        let tracks = kept.map { first[$0]! }
        var groupOf: [[Float]: Int] = [:]
        let columns = features.count
        let values = SongEmotionModel.featureRows(tracks, features: features)
        let groups = tracks.indices.map { i in
            let key = Array(values[(i * columns)..<((i + 1) * columns)])
            if let g = groupOf[key] { return g }
            groupOf[key] = groupOf.count
            return groupOf.count - 1
        }
        trackIDs = kept
        data = Dataset(features: values, labels: kept.map { label[$0]! }, columns: columns, groups: groups)
        conflictingTracks = conflicted.count
        duplicateRows = duplicates
    }

    public var count: Int { trackIDs.count }

    /// The fold (0..<folds) of every row, by group (`CrossValidation`'s scheme).
    public func folds(_ folds: Int, seed: UInt64) -> [Int] {
        CrossValidation.folds(groups: data.groups ?? Array(0..<count), folds: folds, seed: seed)
    }
}

/// What `SongEmotionTraining.train` produced.
public struct EmotionTrainingResult: Sendable {
    public var model: SongEmotionModel
    public var validation: BinaryMetrics
    public var report: TrainingReport
    /// Wall time of fitting the scaler and the network (not reading the data).
    public var seconds: Double
    public var trainingRows: Int
    /// Whether each row of the dataset was in the validation split.
    public var isValidation: [Bool]
}

/// Cross-validation of the whole training procedure.
public struct EmotionCrossValidation: Sendable {
    public var folds: [BinaryMetrics]
    public var mean: BinaryMetrics
    /// The fold of each row of the dataset.
    public var foldOfRow: [Int]
    public var seconds: Double
}

public enum SongEmotionTraining {
    /// The settings of the shipped model (chosen by 5-fold cross-validation, see the model card):
    /// one hidden layer of 64 does as well as 64-32 or 128 and costs a quarter of 64-32 to run.
    public static let defaultSettings = TrainingSettings(hidden: [64], optimizer: .adam, learningRate: 0.001,
                                                         momentum: 0.9, l2: 1e-4, batchSize: 32, maxEpochs: 400,
                                                         patience: 20, tolerance: 1e-4, validationFraction: 0.1, seed: 42)

    /// Holds out about `validationShare` of the rows (fold 0 of `CrossValidation`'s, by group), fits the
    /// scaler and the network on the rest and measures the model on the held-out rows.
    public static func train(_ dataset: EmotionDataset, features: [EmotionFeature], settings: TrainingSettings,
                             validationShare: Double = 0.2) throws -> EmotionTrainingResult {
        guard dataset.count >= 10, Set(dataset.data.labels).count == 2 else {
            throw MoosicError.invalidData("training needs rows of both genres \(EmotionDataset.happyGenre) and \(EmotionDataset.sadGenre) (at least 10 in all), found \(dataset.count)")
        }
        let k = max(2, Int((1 / validationShare).rounded()))
        let folds = dataset.folds(k, seed: settings.seed)
        let isValidation = folds.map { $0 == 0 }
        let start = Date()
        let (model, report) = try fit(dataset, rows: folds.indices.filter { !isValidation[$0] }, features: features, settings: settings)
        let seconds = Date().timeIntervalSince(start)
        var validated = model
        let validation = evaluate(model, dataset.data.subset(folds.indices.filter { isValidation[$0] }))
        validated.validation = validation
        return EmotionTrainingResult(model: validated, validation: validation, report: report, seconds: seconds,
                                     trainingRows: isValidation.filter { !$0 }.count, isValidation: isValidation)
    }

    /// k-fold cross-validation: k models, each trained on k−1 folds and measured on the other.
    public static func crossValidate(_ dataset: EmotionDataset, features: [EmotionFeature],
                                     settings: TrainingSettings, k: Int) throws -> EmotionCrossValidation {
        guard k >= 2, dataset.count >= 2 * k else { throw MoosicError.usage("cross-validation needs k ≥ 2 and at least 2k rows") }
        let start = Date()
        let foldOfRow = dataset.folds(k, seed: settings.seed)
        var results: [BinaryMetrics] = []
        for fold in 0..<k {
            let (model, _) = try fit(dataset, rows: foldOfRow.indices.filter { foldOfRow[$0] != fold },
                                        features: features, settings: settings)
            results.append(evaluate(model, dataset.data.subset(foldOfRow.indices.filter { foldOfRow[$0] == fold })))
        }
        return EmotionCrossValidation(folds: results, mean: .mean(results), foldOfRow: foldOfRow,
                                      seconds: Date().timeIntervalSince(start))
    }

    static func fit(_ dataset: EmotionDataset, rows: [Int], features: [EmotionFeature],
                    settings: TrainingSettings) throws -> (SongEmotionModel, TrainingReport) {
        var train = dataset.data.subset(rows)
        let scaler = try MinMaxScaler(fitting: train.features, columns: train.columns)
        scaler.transform(&train.features)
        let (network, report) = try NetworkTrainer.train(train, classes: 2, settings: settings)
        return (try SongEmotionModel(features: features, scaler: scaler, network: network, settings: settings), report)
    }

    /// The model's metrics on labelled rows (unscaled features in the model's feature order).
    public static func evaluate(_ model: SongEmotionModel, _ data: Dataset) -> BinaryMetrics {
        BinaryMetrics(labels: data.labels, scores: model.scores(data.features).map(Double.init))
    }

    public struct GenreScore: Sendable, Equatable, Codable {
        public var genre: String
        public var tracks: Int
        public var mean: Double
    }

    /// The mean emotion score of every genre's rows (a track listed under two genres counts in
    /// both), lowest first: how the score orders genres it was not trained on.
    public static func genreMeans(_ model: SongEmotionModel, rows: [CatalogRow]) -> [GenreScore] {
        let scores = model.scores(SongEmotionModel.featureRows(rows.map(\.track), features: model.features))
        var sums: [String: (Int, Double)] = [:]
        for (row, s) in zip(rows, scores) {
            let (n, total) = sums[row.genre] ?? (0, 0)
            sums[row.genre] = (n + 1, total + Double(s))
        }
        return sums.map { GenreScore(genre: $0.key, tracks: $0.value.0, mean: $0.value.1 / Double($0.value.0)) }
            .sorted { $0.mean != $1.mean ? $0.mean < $1.mean : $0.genre < $1.genre }
    }
}
