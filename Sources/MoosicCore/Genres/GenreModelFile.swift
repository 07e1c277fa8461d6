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
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MoosicError.invalidData("cannot read \(url.path) (a directory, or permission denied?)")
        }
        return try decode([UInt8](data), name: url.path)
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
