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
    /// What the shipped model uses: Moo-Sic's nine plus duration and the explicit flag, the two
    /// extras that measurably helped (see Models/song_emotion.md).
    public static let standard: [EmotionFeature] = mooSic + [.durationMs, .explicit]

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

/// The song-emotion model: a min-max scaler fitted on the training rows and a dense network
/// whose sigmoid output is P(happy). Saved as a small JSON file with a kind and version header.
public struct SongEmotionModel: Sendable, Equatable {
    public static let kind = "moosic.song-emotion-mlp"
    public static let version = 1
    public static let fileName = "song_emotion.json"

    public var features: [EmotionFeature]
    public var scaler: MinMaxScaler
    public var network: DenseNetwork
    public var settings: TrainingSettings
    /// Validation metrics measured when the model was trained.
    public var validation: BinaryMetrics?

    public init(features: [EmotionFeature], scaler: MinMaxScaler, network: DenseNetwork,
                settings: TrainingSettings, validation: BinaryMetrics? = nil) throws {
        guard scaler.columns == features.count, network.inputCount == features.count,
              network.output == .sigmoid else {
            throw MoosicError.invalidData("the scaler (\(scaler.columns) columns) and the network (\(network.inputCount) inputs, \(network.output.rawValue)) do not fit \(features.count) features with a sigmoid output")
        }
        self.features = features
        self.scaler = scaler
        self.network = network
        self.settings = settings
        self.validation = validation
    }

    /// "song_emotion/v1/<FNV-1a 64 of the weights, scaler and features>": equal models, equal identities.
    public var identity: String {
        var hash = FNV1a()
        hash.combine(features.map(\.rawValue).joined(separator: ",").utf8)
        for v in scaler.minimum + scaler.maximum + network.parameters { hash.combine(littleEndian: v.bitPattern) }
        for s in network.sizes { hash.combine(littleEndian: Int64(s)) }
        return "song_emotion/v\(Self.version)/" + String(hash.value, radix: 16)
    }

    /// P(happy) for every row of `raw` (unscaled feature values in `features` order, row-major).
    public func scores(_ raw: [Float]) -> [Float] {
        var x = raw
        scaler.transform(&x)
        return network.predict(x)
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

    struct File: Codable {
        var kind: String
        var version: Int
        var features: [EmotionFeature]
        var scaler: MinMaxScaler
        var layers: [Int]
        var output: DenseNetwork.Output
        var parameters: [Float]
        var training: TrainingSettings
        var validation: BinaryMetrics?
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = File(kind: Self.kind, version: Self.version, features: features, scaler: scaler,
                        layers: network.sizes, output: network.output, parameters: network.parameters,
                        training: settings, validation: validation)
        return try encoder.encode(file)
    }

    public func save(to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoded().write(to: url, options: .atomic)
        } catch let error as MoosicError {
            throw error
        } catch {
            throw MoosicError.internalFailure("cannot write the model to \(url.path): \(error.localizedDescription)")
        }
    }

    public static func load(from url: URL) throws -> SongEmotionModel {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MoosicError.fileMissing(path: url.path) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MoosicError.invalidData("cannot read the model \(url.path)")
        }
        return try decode(data, name: url.path)
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
            throw MoosicError.invalidData("\(name) is a song-emotion model of version \(header.version.map(String.init) ?? "?"), this moosic reads version \(version): retrain it with `moosic train emotion`")
        }
        do {
            let file = try decoder.decode(File.self, from: data)
            let network = try DenseNetwork(sizes: file.layers, output: file.output, parameters: file.parameters)
            return try SongEmotionModel(features: file.features, scaler: file.scaler, network: network,
                                        settings: file.training, validation: file.validation)
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
