import Foundation
import MoosicCore

/// The song-emotion model as a file (JSON, `encoded()` / `decode(_:name:)` are Core's).
extension SongEmotionModel {
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
}
