import Foundation
import MoosicML

/// The labelled rows of the song-emotion task: catalog rows of genre `happy` (1) and `sad` (0),
/// the Moo-Sic assumption, one row per track id.
public struct EmotionDataset: Sendable {
    public static let happyGenre = "happy"
    public static let sadGenre = "sad"

    public var trackIDs: [String]
    public var tracks: [CatalogTrack]
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
        self.tracks = tracks
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

/// How well the song-emotion model agrees with listeners on songs they filed under a mood.
public struct MoodAgreement: Sendable, Codable, Equatable {
    /// One binary axis: n songs, accuracy at 0.5, ROC AUC and expected calibration error (10 bins).
    public struct Axis: Sendable, Codable, Equatable {
        public var n: Int
        public var accuracy: Double
        public var auc: Double
        public var ece: Double

        init(scores: [Double], labels: [Bool]) {
            n = scores.count
            accuracy = BinaryMetrics.accuracy(scores: scores, labels: labels) ?? 0
            auc = BinaryMetrics.rocAUC(scores: scores, labels: labels) ?? 0.5
            ece = BinaryMetrics.expectedCalibrationError(scores: scores, labels: labels) ?? 0
        }

        static func mean(_ axes: [Axis]) -> Axis {
            var m = axes[0]
            let k = Double(axes.count)
            m.n = axes.reduce(0) { $0 + $1.n }
            m.accuracy = axes.reduce(0) { $0 + $1.accuracy } / k
            m.auc = axes.reduce(0) { $0 + $1.auc } / k
            m.ece = axes.reduce(0) { $0 + $1.ece } / k
            return m
        }
    }

    /// The happy output on the Happy and Sad songs.
    public var happySad: Axis
    /// The energy output on the Energetic (1) and Calm (0) songs.
    public var energeticCalm: Axis
    /// Songs of all four moods.
    public var n: Int
    /// The share whose mood the 4-mood map over the two outputs names.
    public var fourMoods: Double
    /// The share whose mood Russell's quadrants at 0.5 name (happy ≥ ½ and energetic ≥ ½: Happy;
    /// < ½ and ≥ ½: Energetic; < ½ and < ½: Sad; ≥ ½ and < ½: Calm); in this data the moods lie
    /// along the arousal axis more than in quadrants, which is why the map is fitted.
    public var quadrants: Double

    enum CodingKeys: String, CodingKey {
        case n, quadrants
        case happySad = "happy_sad", energeticCalm = "energetic_calm", fourMoods = "four_moods"
    }

    public init(model: SongEmotionModel, songs: [MoodSong]) {
        let scores = model.scores(SongEmotionModel.featureRows(songs.map(\.track), features: model.features))
        self.init(songs: songs, happy: scores.happy, arousal: scores.arousal, model: model)
    }

    init(songs: [MoodSong], happy: [Float], arousal: [Float], model: SongEmotionModel) {
        var hs: ([Double], [Bool]) = ([], []), ec: ([Double], [Bool]) = ([], [])
        var mapped = 0, quadrant = 0
        for (i, song) in songs.enumerated() {
            let h = happy[i], a = arousal[i]
            if let label = song.mood.happyLabel { hs.0.append(Double(h)); hs.1.append(label == 1) }
            if song.mood == .energetic || song.mood == .calm { ec.0.append(Double(a)); ec.1.append(song.mood == .energetic) }
            if model.mood(happy: h, arousal: a) == song.mood { mapped += 1 }
            let rule: SongMood = h >= 0.5 ? (a >= 0.5 ? .happy : .calm) : (a >= 0.5 ? .energetic : .sad)
            if rule == song.mood { quadrant += 1 }
        }
        happySad = Axis(scores: hs.0, labels: hs.1)
        energeticCalm = Axis(scores: ec.0, labels: ec.1)
        n = songs.count
        fourMoods = songs.isEmpty ? 0 : Double(mapped) / Double(songs.count)
        quadrants = songs.isEmpty ? 0 : Double(quadrant) / Double(songs.count)
    }

    static func mean(_ folds: [MoodAgreement]) -> MoodAgreement {
        var m = folds[0]
        let k = Double(folds.count)
        m.happySad = .mean(folds.map(\.happySad))
        m.energeticCalm = .mean(folds.map(\.energeticCalm))
        m.n = folds.reduce(0) { $0 + $1.n }
        m.fourMoods = folds.reduce(0) { $0 + $1.fourMoods } / k
        m.quadrants = folds.reduce(0) { $0 + $1.quadrants } / k
        return m
    }
}

/// Artist-grouped cross-validation of the whole recipe, calibration and 4-mood map included.
public struct EmotionCrossValidation: Sendable {
    /// Every fold of every seed.
    public var folds: [MoodAgreement]
    /// The mean over `folds`.
    public var mean: MoodAgreement
    /// The standard deviation over `folds` of the happy AUC and accuracy, the energy AUC and the 4-mood accuracy.
    public var spread: [String: Double]
    /// The fold of each song (first seed).
    public var foldOfSong: [Int]
    public var seconds: Double
}

public enum SongEmotionTraining {
    /// The recipe of the shipped model, chosen by artist-grouped cross-validation on moods_dev.csv
    /// (Models/song_emotion.md, docs/research/emotion-research/REPORT.md).
    public static let defaultRecipe = EmotionRecipe()

    /// The fold of each song: a seeded hash of its first artist, so no artist is on both sides.
    public static func folds(_ songs: [MoodSong], k: Int, seed: UInt64) -> [Int] {
        songs.map { CrossValidation.fold(of: $0.artistKey.utf8, folds: k, seed: seed) }
    }

    static func artistKey(_ track: CatalogTrack) -> String {
        let first = track.artists.split(separator: ";", maxSplits: 1).first.map(String.init) ?? track.artists
        return first.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Trains the model: both networks on all `songs` (and the happy network on `genreRows`, the
    /// Moo-Sic genre proxy, when given), the calibration and the 4-mood map on out-of-fold scores.
    public static func train(songs: [MoodSong], genreRows: EmotionDataset? = nil, features: [EmotionFeature],
                             recipe: EmotionRecipe) throws -> SongEmotionModel {
        try checkLabels(songs)
        let k = recipe.calibrationFolds
        guard k >= 2 else { throw MoosicError.usage("calibration needs at least 2 folds") }
        let fold = folds(songs, k: k, seed: recipe.seed)
        var rawHappy = [Double](repeating: 0.5, count: songs.count)
        var rawArousal = [Double](repeating: 0.5, count: songs.count)
        for f in 0..<k {
            let held = songs.indices.filter { fold[$0] == f }
            let kept = songs.indices.filter { fold[$0] != f }
            guard !held.isEmpty else { continue }
            let heldArtists = Set(held.map { songs[$0].artistKey })
            let fitted = try fitNetworks(kept.map { songs[$0] }, genreRows: genreRows, excluding: heldArtists,
                                         features: features, recipe: recipe, seed: recipe.seed &+ UInt64(f + 1))
            var x = SongEmotionModel.featureRows(held.map { songs[$0].track }, features: features)
            fitted.scaler.transform(&x)
            for (i, p) in zip(held, fitted.happiness.predict(x)) { rawHappy[i] = Double(p) }
            for (i, p) in zip(held, fitted.arousal.predict(x)) { rawArousal[i] = Double(p) }
        }
        let labelled = songs.indices.filter { songs[$0].mood.happyLabel != nil }
        let calibration = try PlattScaling(fittingLogits: labelled.map { PlattScaling.logit(rawHappy[$0]) },
                                           labels: labelled.map { songs[$0].mood.happyLabel! })
        var logits: [Double] = []
        for i in songs.indices {
            let happy = Float(calibration(logit: PlattScaling.logit(rawHappy[i])))
            logits += SongEmotionModel.logits(happy: happy, arousal: Float(rawArousal[i]))
        }
        let moods = try MultinomialLogistic(fitting: logits, labels: songs.map(\.mood.index), inputs: 2,
                                            classes: SongMood.allCases.count)
        let fitted = try fitNetworks(songs, genreRows: genreRows, excluding: [], features: features, recipe: recipe,
                                     seed: recipe.seed)
        return try SongEmotionModel(features: features, scaler: fitted.scaler, happiness: fitted.happiness,
                                    calibration: calibration, arousal: fitted.arousal, moods: moods, recipe: recipe)
    }

    /// k-fold cross-validation by artist, once per seed: each fold's model is trained by `train` on
    /// the other folds (genre rows of the held-out artists left out too) and measured on it.
    public static func crossValidate(songs: [MoodSong], genreRows: EmotionDataset? = nil, features: [EmotionFeature],
                                     recipe: EmotionRecipe, k: Int, seeds: [UInt64]) throws -> EmotionCrossValidation {
        try checkLabels(songs)
        guard k >= 2, songs.count >= 2 * k, !seeds.isEmpty else {
            throw MoosicError.usage("cross-validation needs k ≥ 2, at least 2k songs and a seed")
        }
        // A stopwatch (monotonic), not the wall clock: Core is given dates, never reads them.
        let start = DispatchTime.now()
        var results: [MoodAgreement] = []
        var firstFolds: [Int] = []
        for seed in seeds {
            let fold = folds(songs, k: k, seed: seed)
            if firstFolds.isEmpty { firstFolds = fold }
            for f in 0..<k {
                let held = songs.indices.filter { fold[$0] == f }.map { songs[$0] }
                let kept = songs.indices.filter { fold[$0] != f }.map { songs[$0] }
                guard !held.isEmpty else { continue }
                var foldRecipe = recipe
                foldRecipe.seed = seed &+ UInt64(f) &* 1000
                let heldArtists = Set(held.map(\.artistKey))
                let model = try train(songs: kept, genreRows: genreRows.map { without($0, artists: heldArtists) },
                                      features: features, recipe: foldRecipe)
                results.append(MoodAgreement(model: model, songs: held))
            }
        }
        func sd(_ values: [Double]) -> Double {
            let m = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(values.count - 1, 1))).squareRoot()
        }
        let spread = ["happy_sad_auc": sd(results.map(\.happySad.auc)), "happy_sad_accuracy": sd(results.map(\.happySad.accuracy)),
                      "energetic_calm_auc": sd(results.map(\.energeticCalm.auc)), "four_moods": sd(results.map(\.fourMoods))]
        return EmotionCrossValidation(folds: results, mean: .mean(results), spread: spread, foldOfSong: firstFolds,
                                      seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }

    static func checkLabels(_ songs: [MoodSong]) throws {
        let moods = Set(songs.map(\.mood))
        guard moods.count == SongMood.allCases.count, songs.count >= 20 else {
            throw MoosicError.invalidData("training needs songs of all four moods (\(SongMood.allCases.map(\.rawValue).joined(separator: ", ")); at least 20 in all), found \(songs.count) of \(moods.count) mood(s)")
        }
    }

    static func without(_ rows: EmotionDataset, artists: Set<String>) -> EmotionDataset {
        var kept = rows
        let keep = rows.tracks.indices.filter { !artists.contains(artistKey(rows.tracks[$0])) }
        kept.trackIDs = keep.map { rows.trackIDs[$0] }
        kept.tracks = keep.map { rows.tracks[$0] }
        kept.data = rows.data.subset(keep)
        return kept
    }

    struct FittedNetworks {
        var scaler: MinMaxScaler
        var happiness: DenseNetwork
        var arousal: DenseNetwork
    }

    /// The scaler (over every training row) and the two networks, without calibration.
    static func fitNetworks(_ songs: [MoodSong], genreRows: EmotionDataset?, excluding artists: Set<String>,
                            features: [EmotionFeature], recipe: EmotionRecipe, seed: UInt64) throws -> FittedNetworks {
        let songRows = SongEmotionModel.featureRows(songs.map(\.track), features: features)
        let columns = features.count
        var genre: EmotionDataset?
        if let genreRows { genre = artists.isEmpty ? genreRows : without(genreRows, artists: artists) }
        let genreFeatures = genre.map { SongEmotionModel.featureRows($0.tracks, features: features) } ?? []
        let scaler = try MinMaxScaler(fitting: songRows + genreFeatures, columns: columns)

        // Happy: the Happy and Sad songs (each counted moodWeight times beside genre rows), then the genre rows.
        var happyRows: [Float] = [], happyLabels: [Int] = []
        let repeats = genre == nil ? 1 : max(1, recipe.moodWeight)
        for (i, song) in songs.enumerated() {
            guard let label = song.mood.happyLabel else { continue }
            for _ in 0..<repeats {
                happyRows += songRows[(i * columns)..<((i + 1) * columns)]
                happyLabels.append(label)
            }
        }
        if let genre {
            happyRows += genreFeatures
            happyLabels += genre.data.labels
        }
        scaler.transform(&happyRows)
        let happyData = Dataset(features: happyRows, labels: happyLabels, columns: columns)
        let (happiness, _) = try NetworkTrainer.train(happyData, classes: 2,
                                                      settings: recipe.settings(rows: happyData.rows, seed: seed))
        // Arousal: every song, on the ordinal scale.
        var arousalRows = songRows
        scaler.transform(&arousalRows)
        let arousalData = Dataset(features: arousalRows, labels: songs.map { $0.mood.arousalTarget >= 0.5 ? 1 : 0 },
                                  columns: columns)
        let (arousal, _) = try NetworkTrainer.train(arousalData, softTargets: songs.map(\.mood.arousalTarget),
                                                    settings: recipe.settings(rows: arousalData.rows, seed: seed &+ 7))
        return FittedNetworks(scaler: scaler, happiness: happiness, arousal: arousal)
    }

    /// The model's happy output against the Moo-Sic genre labels (happy 1, sad 0) of `data`.
    public static func evaluate(_ model: SongEmotionModel, _ data: Dataset) -> BinaryMetrics {
        BinaryMetrics(labels: data.labels, scores: model.scores(data.features).happy.map(Double.init))
    }

    public struct GenreScore: Sendable, Equatable, Codable {
        public var genre: String
        public var tracks: Int
        /// Mean P(happy).
        public var mean: Double
        /// Mean P(energetic).
        public var arousal: Double
    }

    /// The mean emotion score of every genre's rows (a track listed under two genres counts in
    /// both), lowest first: how the score orders genres it was not trained on.
    public static func genreMeans(_ model: SongEmotionModel, rows: [CatalogRow]) -> [GenreScore] {
        let scores = model.scores(SongEmotionModel.featureRows(rows.map(\.track), features: model.features))
        var sums: [String: (Int, Double, Double)] = [:]
        for (i, row) in rows.enumerated() {
            let (n, happy, arousal) = sums[row.genre] ?? (0, 0, 0)
            sums[row.genre] = (n + 1, happy + Double(scores.happy[i]), arousal + Double(scores.arousal[i]))
        }
        return sums.map { GenreScore(genre: $0.key, tracks: $0.value.0, mean: $0.value.1 / Double($0.value.0),
                                     arousal: $0.value.2 / Double($0.value.0)) }
            .sorted { $0.mean != $1.mean ? $0.mean < $1.mean : $0.genre < $1.genre }
    }
}
