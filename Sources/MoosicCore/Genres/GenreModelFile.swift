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
        guard model.featureNames == GenreFeatures.names else {
            throw MoosicError.invalidData("\(url.path) was trained on features \(model.featureNames.joined(separator: ",")), not moosic's genre features \(GenreFeatures.names.joined(separator: ",")): train it again with `moosic train genres`")
        }
        return model
    }

    public static func load(from url: URL) throws -> RandomForest {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MoosicError.fileMissing(path: url.path) }
        guard let bytes = readBytes(url.path) else {
            throw MoosicError.invalidData("cannot read \(url.path) (a directory, or permission denied?)")
        }
        return try decode(bytes, name: url.path)
    }

    /// The file's bytes read straight into an array (not through `Data` and a copy: the shipped
    /// model is 21.6 MB and every recommendation reads it); nil when it cannot be read.
    static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
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
        do {
            return try RandomForest(encoded: bytes, name: name)
        } catch let error as MLError {
            throw MoosicError.invalidData(error.message)
        }
    }
}
