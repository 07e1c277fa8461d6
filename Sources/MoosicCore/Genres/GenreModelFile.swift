import Foundation
import MoosicML

/// A model file as Core reads it: all its bytes, or only enough for its header — so that the domain
/// never opens a file itself (MoosicIO's `ModelFile` reads them from disk; tests can hand bytes in).
public protocol ModelBytes: Sendable {
    /// The file's name for messages (its path).
    var name: String { get }
    /// `headerOnly`: the first `RandomForest.headerBytes` and the last 8 (the checksum) of a larger file,
    /// joined, which `RandomForest.header(encoded:)` reads as it reads the whole file.
    func bytes(headerOnly: Bool) throws -> [UInt8]
}

/// The genre forest as a model of this installation: checking that it was trained on moosic's genre
/// features. (The byte format itself is MoosicML's; files are MoosicIO's.)
extension RandomForest {
    /// A genre model: a forest over the features `GenreFeatures.vector` gives, in that order.
    public static func loadGenreModel(from file: any ModelBytes) throws -> RandomForest {
        let model = try decode(try file.bytes(headerOnly: false), name: file.name)
        try checkGenreFeatures(model.featureNames, of: file.name)
        return model
    }

    /// Refuses a forest trained on other features than `GenreFeatures.vector` gives.
    static func checkGenreFeatures(_ names: [String], of name: String) throws {
        guard names == GenreFeatures.names else {
            throw MoosicError.invalidData("\(name) was trained on features \(names.joined(separator: ",")), not moosic's genre features \(GenreFeatures.names.joined(separator: ",")): train it again with `moosic train genres`")
        }
    }

    /// Enough of a model file for its header: 11 features × (2 + 65,536 × 4) bytes of bin edges at most,
    /// plus the names, settings and importances.
    public static let headerBytes = 3 << 20

    /// The forest of `bytes`, its MoosicML errors told as moosic's (a corrupt model is bad data: 65).
    public static func decode(_ bytes: [UInt8], name: String) throws -> RandomForest {
        try asBadData { try RandomForest(encoded: bytes, name: name) }
    }

    /// `body`'s MoosicML errors as moosic's: a corrupt or foreign model file is bad data (65).
    static func asBadData<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MLError {
            throw MoosicError.invalidData(error.message)
        }
    }
}

/// The installed genre forest as the profile uses it: its classes, importances and version come
/// from the file's header at once; the ~8 million nodes are decoded only when a track needs the
/// forest and its probabilities are not cached (`ForestGenreProfiler`), at most once per process.
public final class GenreForest: @unchecked Sendable {
    public let classes: [String]
    public let featureImportances: [Double]
    public let featureNames: [String]
    /// The model file's checksum: cached probabilities of another version are never used.
    public let version: String
    private let file: (any ModelBytes)?
    private let lock = NSLock()
    private var model: RandomForest?

    /// The forest in `file`, its header read and checked now (a missing or foreign file is an error
    /// before anything runs), its trees on first use.
    public init(file: any ModelBytes) throws {
        // The header is at most ~2.9 MB (11 features' bin edges); the checksum is the last 8 bytes.
        // Only those are read: the whole file is 21.6 MB, its trees most of it.
        let head = try file.bytes(headerOnly: true)
        let header = try RandomForest.asBadData { try RandomForest.header(encoded: head, name: file.name) }
        try RandomForest.checkGenreFeatures(header.featureNames, of: file.name)
        classes = header.classes
        featureNames = header.featureNames
        featureImportances = header.featureImportances
        version = header.checksum
        self.file = file
    }

    /// A forest already in memory (tests, evaluations), under the version given.
    public init(model: RandomForest, version: String) {
        classes = model.classes
        featureNames = model.featureNames
        featureImportances = model.featureImportances
        self.version = version
        self.model = model
        file = nil
    }

    /// Whether the trees have been decoded (the cache should make this rare).
    public var isLoaded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return model != nil
    }

    /// Class probabilities for each feature vector, in `classes` order.
    public func probabilities(_ features: [AudioFeatures]) throws -> [[Double]] {
        guard !features.isEmpty else { return [] }
        let forest = try loaded()
        let c = forest.classes.count
        let flat = forest.probabilities(rows: features.flatMap(GenreFeatures.vector))
        return (0..<features.count).map { Array(flat[$0 * c..<($0 + 1) * c]) }
    }

    private func loaded() throws -> RandomForest {
        lock.lock()
        defer { lock.unlock() }
        if let model { return model }
        let decoded = try RandomForest.loadGenreModel(from: file!)
        model = decoded
        return decoded
    }
}
