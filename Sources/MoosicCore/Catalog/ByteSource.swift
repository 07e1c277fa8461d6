import Foundation

/// Where a CSV's bytes come from, a chunk at a time: a plain file (MoosicIO's `FileByteSource`), or a
/// decompressor over one (MoosicApp's `CompressedFile`), so that neither the file nor its
/// decompressed bytes are ever in memory whole.
public protocol ByteSource: AnyObject {
    /// Up to `count` more bytes (fewer near the end); empty at the end. A damaged input throws.
    func read(upToCount count: Int) throws -> [UInt8]
    /// How far through its input the source is, 0…1 (for progress lines); nil when unknown.
    var fractionRead: Double? { get }
}
