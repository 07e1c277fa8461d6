import Foundation
import MoosicML

/// The genre forest as a file of this installation: reading and writing it, and checking that it
/// was trained on moosic's genre features. (The byte format itself is MoosicML's.)
extension RandomForest {
    /// Writes the model atomically (a crash leaves the old file or none, never half a model).
    public func write(to url: URL) throws {
        do {
            try Data(encoded()).write(to: url, options: .atomic)
        } catch {
            throw MoosicError.internalFailure("cannot write the model to \(url.path): \(error.localizedDescription)")
        }
    }

    /// A genre model: a forest over the features `GenreFeatures.vector` gives, in that order.
    public static func loadGenreModel(from url: URL) throws -> RandomForest {
        let model = try load(from: url)
        try checkGenreFeatures(model.featureNames, of: url)
        return model
    }

    public static func load(from url: URL) throws -> RandomForest {
        try decode(try modelBytes(url), name: url.path)
    }

    /// A model file's bytes (`readBytes`), its absence or unreadability told as moosic's errors.
    static func modelBytes(_ url: URL, headerOnly: Bool = false) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MoosicError.fileMissing(path: url.path) }
        guard let bytes = readBytes(url.path, headerOnly: headerOnly) else {
            throw MoosicError.invalidData("cannot read \(url.path) (a directory, or permission denied?)")
        }
        return bytes
    }

    /// Refuses a forest trained on other features than `GenreFeatures.vector` gives.
    static func checkGenreFeatures(_ names: [String], of url: URL) throws {
        guard names == GenreFeatures.names else {
            throw MoosicError.invalidData("\(url.path) was trained on features \(names.joined(separator: ",")), not moosic's genre features \(GenreFeatures.names.joined(separator: ",")): train it again with `moosic train genres`")
        }
    }

    /// Enough of a model file for its header: 11 features × (2 + 65,536 × 4) bytes of bin edges at most,
    /// plus the names, settings and importances.
    static let headerBytes = 3 << 20

    /// The file's bytes read straight into an array (not through `Data` and a copy: the shipped
    /// model is 21.6 MB and every recommendation reads it); nil when it cannot be read.
    /// `headerOnly`: the first `headerBytes` and the last 8 (the checksum) of a larger file, joined,
    /// which `header(encoded:)` reads as it reads the whole file.
    static func readBytes(_ path: String, headerOnly: Bool = false) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        if headerOnly, Int(info.st_size) > headerBytes + 8 {
            var head = [UInt8](repeating: 0, count: headerBytes + 8)
            let ok = head.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress!, headerBytes, 0) == headerBytes
                    && pread(fd, buffer.baseAddress! + headerBytes, 8, off_t(info.st_size) - 8) == 8
            }
            return ok ? head : nil
        }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            complete = done == size
            count = complete ? size : 0
        }
        return complete ? bytes : nil
    }

    /// The forest of `bytes`, its MoosicML errors told as moosic's (a corrupt model is bad data: 65).
    static func decode(_ bytes: [UInt8], name: String) throws -> RandomForest {
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
    private let url: URL?
    private let lock = NSLock()
    private var model: RandomForest?

    /// The forest in `url`, its header read and checked now (a missing or foreign file is an error
    /// before anything runs), its trees on first use.
    public init(url: URL) throws {
        // The header is at most ~2.9 MB (11 features' bin edges); the checksum is the last 8 bytes.
        // Only those are read: the whole file is 21.6 MB, its trees most of it.
        let head = try RandomForest.modelBytes(url, headerOnly: true)
        let header = try RandomForest.asBadData { try RandomForest.header(encoded: head, name: url.path) }
        try RandomForest.checkGenreFeatures(header.featureNames, of: url)
        classes = header.classes
        featureNames = header.featureNames
        featureImportances = header.featureImportances
        version = header.checksum
        self.url = url
    }

    /// A forest already in memory (tests, evaluations), under the version given.
    public init(model: RandomForest, version: String) {
        classes = model.classes
        featureNames = model.featureNames
        featureImportances = model.featureImportances
        self.version = version
        self.model = model
        url = nil
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
        let decoded = try RandomForest.loadGenreModel(from: url!)
        model = decoded
        return decoded
    }
}
