import Foundation
import MoosicML

/// An input of the song-emotion model. The raw values are the catalog's (and the store's
/// `track` columns of the same name).
public enum EmotionFeature: String, Sendable, Codable, CaseIterable {
    case danceability, energy, loudness, speechiness, acousticness, instrumentalness, liveness, valence, tempo
    case durationMs = "duration_ms", explicit, mode, key, timeSignature = "time_signature", popularity

    /// The nine audio features of the Moo-Sic paper.
    public static let mooSic: [EmotionFeature] = [
        .danceability, .energy, .loudness, .speechiness, .acousticness, .instrumentalness, .liveness, .valence, .tempo,
    ]
    /// What the shipped model uses: Moo-Sic's nine plus duration. The listener-labelled songs have
    /// no explicit flag and no mode, so neither can be learned from them (Models/song_emotion.md).
    public static let standard: [EmotionFeature] = mooSic + [.durationMs]

    public func value(of track: CatalogTrack) -> Float {
        let f = track.features
        switch self {
        case .danceability: return Float(f.danceability)
        case .energy: return Float(f.energy)
        case .loudness: return Float(f.loudness)
        case .speechiness: return Float(f.speechiness)
        case .acousticness: return Float(f.acousticness)
        case .instrumentalness: return Float(f.instrumentalness)
        case .liveness: return Float(f.liveness)
        case .valence: return Float(f.valence)
        case .tempo: return Float(f.tempo)
        case .durationMs: return Float(track.durationMs)
        case .explicit: return track.explicit ? 1 : 0
        case .mode: return Float(f.mode)
        case .key: return Float(f.key)
        case .timeSignature: return Float(track.timeSignature)
        case .popularity: return Float(track.popularity)
        }
    }
}

/// The song-emotion model's two outputs for a set of songs, each in [0, 1].
public struct EmotionScores: Sendable, Equatable {
    /// P(happy), calibrated: the happy ↔ sad axis (valence).
    public var happy: [Float]
    /// P(energetic): the calm ↔ energetic axis. `arousal` wherever the code holds it (the store's
    /// column too); users read it as the "energy score", and the JSON's `energy_*` keys are about it.
    /// Never `energy` in code: that is Spotify's audio feature, one of the model's inputs.
    public var arousal: [Float]

    public init(happy: [Float], arousal: [Float]) {
        self.happy = happy
        self.arousal = arousal
    }
}

/// The settings of the song-emotion recipe (both networks share them).
public struct EmotionRecipe: Sendable, Codable, Equatable {
    public var hidden: [Int]
    public var learningRate: Float
    /// L2 penalty on the weights; strong, as 365 songs cannot pin 200 weights down.
    public var l2: Float
    public var batchSize: Int
    /// Adam steps per network, fixed: on a few hundred rows a held-out early-stopping split is a
    /// dozen songs and stops at noise (docs/research/emotion-research/REPORT.md).
    public var steps: Int
    /// Folds of the out-of-fold scores that the calibration and the 4-mood map are fitted on.
    public var calibrationFolds: Int
    /// How many times each listener-labelled song counts against one Moo-Sic genre row (`--data`).
    public var moodWeight: Int
    public var seed: UInt64

    public init(hidden: [Int] = [16], learningRate: Float = 0.001, l2: Float = 0.01, batchSize: Int = 32,
                steps: Int = 1500, calibrationFolds: Int = 5, moodWeight: Int = 10, seed: UInt64 = 42) {
        self.hidden = hidden
        self.learningRate = learningRate
        self.l2 = l2
        self.batchSize = batchSize
        self.steps = steps
        self.calibrationFolds = calibrationFolds
        self.moodWeight = moodWeight
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case hidden, l2, steps, seed
        case learningRate = "learning_rate", batchSize = "batch_size", calibrationFolds = "calibration_folds"
        case moodWeight = "mood_weight"
    }

    /// The network trainer's settings for `rows` training rows: `steps` steps, no early stopping.
    public func settings(rows: Int, seed: UInt64) -> TrainingSettings {
        let epochs = max(1, Int((Double(steps * batchSize) / Double(max(rows, 1))).rounded(.up)))
        return TrainingSettings(hidden: hidden, optimizer: .adam, learningRate: learningRate, momentum: 0.9, l2: l2,
                                batchSize: batchSize, maxEpochs: epochs, patience: epochs + 1, tolerance: 0,
                                validationFraction: 0, seed: seed)
    }
}

/// The song-emotion model: a min-max scaler fitted on the training rows and two small networks
/// over the same features, placing a song in the valence–arousal plane (Russell):
/// - `happiness`, trained on songs listeners filed under Happy (1) or Sad (0), its logit mapped
///   through `calibration` (Platt, fitted on out-of-fold scores): P(happy);
/// - `arousal`, trained on all four moods as an ordinal scale (Calm 0 … Energetic 1): P(energetic);
/// - `moods`, a 4-class logistic map over the two logits: the listener's word for the song.
/// Saved as a small JSON file with a kind and version header.
public struct SongEmotionModel: Sendable, Equatable {
    public static let kind = "moosic.song-emotion-mlp"
    public static let version = 2
    public static let fileName = "song_emotion.json"

    public var features: [EmotionFeature]
    public var scaler: MinMaxScaler
    public var happiness: DenseNetwork
    public var calibration: PlattScaling
    public var arousal: DenseNetwork
    public var moods: MultinomialLogistic
    public var recipe: EmotionRecipe
    /// Cross-validated agreement with listeners, measured when the model was trained.
    public var validation: MoodAgreement?

    public init(features: [EmotionFeature], scaler: MinMaxScaler, happiness: DenseNetwork, calibration: PlattScaling,
                arousal: DenseNetwork, moods: MultinomialLogistic, recipe: EmotionRecipe,
                validation: MoodAgreement? = nil) throws {
        for (name, network) in [("happiness", happiness), ("arousal", arousal)] {
            guard scaler.columns == features.count, network.inputCount == features.count,
                  network.output == .sigmoid, network.outputCount == 1 else {
                throw MoosicError.invalidData("the scaler (\(scaler.columns) columns) and the \(name) network (\(network.inputCount) inputs, \(network.output.rawValue)) do not fit \(features.count) features with one sigmoid output")
            }
        }
        guard moods.inputs == 2, moods.classes == SongMood.allCases.count,
              calibration.a.isFinite, calibration.b.isFinite else {
            throw MoosicError.invalidData("the 4-mood map must take the 2 logits to \(SongMood.allCases.count) moods, and the calibration must be finite")
        }
        self.features = features
        self.scaler = scaler
        self.happiness = happiness
        self.calibration = calibration
        self.arousal = arousal
        self.moods = moods
        self.recipe = recipe
        self.validation = validation
    }

    /// "song_emotion/v2/<FNV-1a 64 of the weights, scaler, calibration and features>": equal models,
    /// equal identities. The store keeps it beside every score, so a new model re-scores the catalog.
    public var identity: String {
        var hash = FNV1a()
        hash.combine(features.map(\.rawValue).joined(separator: ",").utf8)
        for v in scaler.minimum + scaler.maximum + happiness.parameters + arousal.parameters {
            hash.combine(littleEndian: v.bitPattern)
        }
        for v in [calibration.a, calibration.b] + moods.weights + moods.biases { hash.combine(littleEndian: v.bitPattern) }
        for s in happiness.sizes + arousal.sizes { hash.combine(littleEndian: Int64(s)) }
        return "song_emotion/v\(Self.version)/" + String(hash.value, radix: 16)
    }

    /// Both outputs for every row of `raw` (unscaled feature values in `features` order, row-major).
    public func scores(_ raw: [Float]) -> EmotionScores {
        var x = raw
        scaler.transform(&x)
        let happy = happiness.predict(x).map { Float(calibration(logit: PlattScaling.logit(Double($0)))) }
        return EmotionScores(happy: happy, arousal: arousal.predict(x))
    }

    /// The two logits of each score pair, the 4-mood map's inputs.
    static func logits(happy: Float, arousal: Float) -> [Double] {
        [PlattScaling.logit(Double(happy)), PlattScaling.logit(Double(arousal))]
    }

    /// The listener's word for a song with these outputs.
    public func mood(happy: Float, arousal: Float) -> SongMood {
        SongMood.allCases[moods.predict(Self.logits(happy: happy, arousal: arousal))]
    }

    /// The feature rows of `tracks`, unscaled, row-major.
    public static func featureRows(_ tracks: [CatalogTrack], features: [EmotionFeature]) -> [Float] {
        var rows = [Float]()
        rows.reserveCapacity(tracks.count * features.count)
        for t in tracks { for f in features { rows.append(f.value(of: t)) } }
        return rows
    }

    // MARK: - The model file

    struct Header: Decodable {
        var kind: String?
        var version: Int?
    }

    struct Network: Codable {
        var layers: [Int]
        var parameters: [Float]
    }

    struct File: Codable {
        var kind: String
        var version: Int
        var features: [EmotionFeature]
        var scaler: MinMaxScaler
        var happiness: Network
        var calibration: PlattScaling
        var arousal: Network
        var moods: MultinomialLogistic
        var recipe: EmotionRecipe
        var validation: MoodAgreement?
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = File(kind: Self.kind, version: Self.version, features: features, scaler: scaler,
                        happiness: Network(layers: happiness.sizes, parameters: happiness.parameters),
                        calibration: calibration,
                        arousal: Network(layers: arousal.sizes, parameters: arousal.parameters),
                        moods: moods, recipe: recipe, validation: validation)
        return try encoder.encode(file)
    }

    /// Refuses, with a message that says why, anything but a valid model file of this kind and version.
    public static func decode(_ data: Data, name: String) throws -> SongEmotionModel {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw MoosicError.invalidData("\(name) is not a song-emotion model: not a JSON object")
        }
        guard header.kind == kind else {
            throw MoosicError.invalidData("\(name) is not a song-emotion model: its kind is \(header.kind.map { "\"\($0)\"" } ?? "missing"), expected \"\(kind)\"")
        }
        guard header.version == version else {
            throw MoosicError.invalidData("\(name) is a song-emotion model of version \(header.version.map(String.init) ?? "?"), this moosic reads version \(version): retrain it with `moosic train emotion --moods <csv>`")
        }
        do {
            let file = try decoder.decode(File.self, from: data)
            let happiness = try DenseNetwork(sizes: file.happiness.layers, output: .sigmoid, parameters: file.happiness.parameters)
            let arousal = try DenseNetwork(sizes: file.arousal.layers, output: .sigmoid, parameters: file.arousal.parameters)
            return try SongEmotionModel(features: file.features, scaler: file.scaler, happiness: happiness,
                                        calibration: file.calibration, arousal: arousal, moods: file.moods,
                                        recipe: file.recipe, validation: file.validation)
        } catch let error as MoosicError {
            throw MoosicError.invalidData("\(name) is a corrupt song-emotion model: \(error.message)")
        } catch let error as MLError {
            throw MoosicError.invalidData("\(name) is a corrupt song-emotion model: \(error.message)")
        } catch let error as DecodingError {
            throw MoosicError.invalidData("\(name) is a corrupt song-emotion model: \(describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "bad value at \(path(c).isEmpty ? "top level" : path(c))"
        @unknown default: return "unreadable"
        }
    }
}
