import Foundation
import MoosicCore

/// A plain file, read as it is.
public final class FileByteSource: ByteSource {
    private let handle: FileHandle
    private let path: String
    private let size: Int
    private var consumed = 0

    /// Opens `url`: missing is `fileMissing` (66), a directory or unreadable is `invalidData` (65).
    public init(url: URL) throws {
        path = url.path
        handle = try Self.open(url)
        size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// The checks every catalog file goes through before it is read, compressed or not.
    public static func open(_ url: URL) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw MoosicError.fileMissing(path: url.path)
        }
        if isDirectory.boolValue { throw MoosicError.invalidData("\(url.path) is a directory, not a CSV file") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw MoosicError.invalidData("cannot read \(url.path) (permission denied?)")
        }
        return handle
    }

    deinit { try? handle.close() }

    public func read(upToCount count: Int) throws -> [UInt8] {
        do {
            let data = try handle.read(upToCount: count) ?? Data()
            consumed += data.count
            return [UInt8](data)
        } catch {
            throw MoosicError.invalidData("cannot read \(path): \(error.localizedDescription)")
        }
    }

    public var fractionRead: Double? { size > 0 ? min(1, Double(consumed) / Double(size)) : nil }
}
