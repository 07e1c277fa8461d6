import CLzma
import CZlib
import Foundation
import MoosicCore
import MoosicIO

/// Catalog files as `catalog import` and the first-use import read them: plain, or compressed with
/// xz (Debian's liblzma) or gzip (zlib), chosen by the name's ending. A compressed file is
/// decompressed as it is read, a chunk at a time: never whole in memory.
public enum CompressedFile {
    public enum Kind: Equatable, Sendable { case plain, xz, gzip }

    public static func kind(of url: URL) -> Kind {
        switch url.pathExtension.lowercased() {
        case "xz": .xz
        case "gz": .gzip
        default: .plain
        }
    }

    /// The bytes of `url`, decompressed if its name ends in `.xz` or `.gz`. A missing file is
    /// `fileMissing` (66); a damaged compressed file is `damaged(message)` when it is read (by
    /// default `invalidData`, 65: bad input data).
    public static func open(_ url: URL, damaged: @escaping @Sendable (String) -> MoosicError = { .invalidData($0) }) throws -> any ByteSource {
        switch kind(of: url) {
        case .plain: try FileByteSource(url: url)
        case .xz: try XZByteSource(url: url, damaged: damaged)
        case .gzip: try GzipByteSource(url: url, damaged: damaged)
        }
    }

    /// The compressed input of a decompressor: the file a megabyte at a time.
    fileprivate final class Input {
        let handle: FileHandle
        let url: URL
        let size: Int
        var buffer: [UInt8] = []
        var offset = 0
        var consumed = 0
        var atEnd = false

        init(url: URL) throws {
            self.url = url
            handle = try FileByteSource.open(url)
            size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        }

        deinit { try? handle.close() }

        var available: Int { buffer.count - offset }

        /// Refills the buffer when it is used up; false at the end of the file.
        func refill() throws {
            guard available == 0, !atEnd else { return }
            let data: Data
            do {
                data = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw MoosicError.invalidData("cannot read \(url.path): \(error.localizedDescription)")
            }
            buffer = [UInt8](data)
            offset = 0
            consumed += data.count
            if data.isEmpty { atEnd = true }
        }

        var fraction: Double? { size > 0 ? min(1, Double(consumed - available) / Double(size)) : nil }
    }
}

/// An .xz file through liblzma's stream decoder.
final class XZByteSource: ByteSource {
    private let input: CompressedFile.Input
    private let damaged: (String) -> MoosicError
    private var stream = lzma_stream()
    private var finished = false

    init(url: URL, damaged: @escaping (String) -> MoosicError) throws {
        input = try CompressedFile.Input(url: url)
        self.damaged = damaged
        guard lzma_stream_decoder(&stream, UInt64.max, 0) == LZMA_OK else {
            throw MoosicError.internalFailure("liblzma could not start a decoder")
        }
    }

    deinit { lzma_end(&stream) }

    var fractionRead: Double? { input.fraction }

    func read(upToCount count: Int) throws -> [UInt8] {
        guard !finished, count > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: count)
        var produced = 0
        while produced < count, !finished {
            try input.refill()
            let action = input.atEnd ? LZMA_FINISH : LZMA_RUN
            let offset = input.offset, available = input.available
            var left = 0
            let ret: lzma_ret = input.buffer.withUnsafeBufferPointer { inBytes in
                output.withUnsafeMutableBufferPointer { outBytes in
                    stream.next_in = inBytes.baseAddress.map { $0 + offset }
                    stream.avail_in = available
                    stream.next_out = outBytes.baseAddress! + produced
                    stream.avail_out = count - produced
                    let ret = lzma_code(&stream, action)
                    left = stream.avail_in
                    produced = count - stream.avail_out
                    return ret
                }
            }
            input.offset = offset + available - left
            if ret == LZMA_STREAM_END {
                finished = true
            } else if ret != LZMA_OK {
                throw damaged("\(input.url.path) is damaged or not an xz file (liblzma error \(ret.rawValue))")
            }
        }
        output.removeLast(count - produced)
        return output
    }
}

/// A .gz file through zlib's inflate (gzip members one after another, as `gzip -c a b` makes them).
final class GzipByteSource: ByteSource {
    private let input: CompressedFile.Input
    private let damaged: (String) -> MoosicError
    private var stream = z_stream()
    private var finished = false
    private var membersEnded = 0

    init(url: URL, damaged: @escaping (String) -> MoosicError) throws {
        input = try CompressedFile.Input(url: url)
        self.damaged = damaged
        // inflateInit2 is a macro: its function, with the 32 + 15 window bits that read a gzip header.
        guard inflateInit2_(&stream, 32 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MoosicError.internalFailure("zlib could not start a decoder")
        }
    }

    deinit { inflateEnd(&stream) }

    var fractionRead: Double? { input.fraction }

    func read(upToCount count: Int) throws -> [UInt8] {
        guard !finished, count > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: count)
        var produced = 0
        while produced < count, !finished {
            try input.refill()
            if input.available == 0, input.atEnd {
                // The end of the file: right after a member's end, else truncated (or empty).
                if stream.total_in == 0, membersEnded > 0 { finished = true; break }
                throw damaged("\(input.url.path) is truncated or not a gzip file")
            }
            let offset = input.offset, available = input.available
            var left = 0
            let ret: Int32 = input.buffer.withUnsafeBufferPointer { inBytes in
                output.withUnsafeMutableBufferPointer { outBytes in
                    stream.next_in = inBytes.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
                    stream.avail_in = UInt32(available)
                    stream.next_out = outBytes.baseAddress! + produced
                    stream.avail_out = UInt32(count - produced)
                    let ret = inflate(&stream, Z_NO_FLUSH)
                    left = Int(stream.avail_in)
                    produced = count - Int(stream.avail_out)
                    return ret
                }
            }
            input.offset = offset + available - left
            if ret == Z_STREAM_END {
                // Another member may follow, from the next byte on.
                membersEnded += 1
                inflateReset(&stream)
            } else if ret != Z_OK, ret != Z_BUF_ERROR {
                throw damaged("\(input.url.path) is damaged or not a gzip file (zlib error \(ret))")
            }
        }
        output.removeLast(count - produced)
        return output
    }
}
