import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore
import MoosicML

/// A model file on disk, read straight into an array; its absence or unreadability told as moosic's errors.
public struct ModelFile: ModelBytes {
    public let url: URL
    public var name: String { url.path }

    public init(url: URL) { self.url = url }

    public func bytes(headerOnly: Bool) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MoosicError.fileMissing(path: url.path) }
        guard let bytes = Self.readBytes(url.path, headerOnly: headerOnly) else {
            throw MoosicError.invalidData("cannot read \(url.path) (a directory, or permission denied?)")
        }
        return bytes
    }

    /// The file's bytes read straight into an array (not through `Data` and a copy: the shipped
    /// model is 21.6 MB and every recommendation reads it); nil when it cannot be read.
    static func readBytes(_ path: String, headerOnly: Bool = false) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        if headerOnly, Int(info.st_size) > RandomForest.headerBytes + 8 {
            var head = [UInt8](repeating: 0, count: RandomForest.headerBytes + 8)
            let ok = head.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress!, RandomForest.headerBytes, 0) == RandomForest.headerBytes
                    && pread(fd, buffer.baseAddress! + RandomForest.headerBytes, 8, off_t(info.st_size) - 8) == 8
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
}

extension RandomForest {
    /// Writes the model atomically (a crash leaves the old file or none, never half a model).
    public func write(to url: URL) throws {
        do {
            try Data(encoded()).write(to: url, options: .atomic)
        } catch {
            throw MoosicError.internalFailure("cannot write the model to \(url.path): \(error.localizedDescription)")
        }
    }

    /// A genre model from its file.
    public static func loadGenreModel(from url: URL) throws -> RandomForest {
        try loadGenreModel(from: ModelFile(url: url))
    }

    public static func load(from url: URL) throws -> RandomForest {
        try decode(try ModelFile(url: url).bytes(headerOnly: false), name: url.path)
    }
}

extension GenreForest {
    /// The forest in the file at `url` (`init(file:)`).
    public convenience init(url: URL) throws {
        try self.init(file: ModelFile(url: url))
    }
}
