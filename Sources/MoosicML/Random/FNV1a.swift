/// FNV-1a, 64 bits: the hash of the forest file's checksum, the emotion model's identity, the
/// genre folds and the ranker's jitter. Fixed by its definition, unlike Swift's `Hasher`, which is
/// seeded anew in every process.
public struct FNV1a: Sendable {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    public static let prime: UInt64 = 0x100_0000_01B3

    public private(set) var value: UInt64

    /// `seed` is folded into the offset basis (0: plain FNV-1a), which gives a family of hashes.
    public init(seed: UInt64 = 0) {
        value = Self.offsetBasis ^ seed
    }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* Self.prime }
    }

    /// The little-endian bytes of `integer`.
    public mutating func combine<T: FixedWidthInteger>(littleEndian integer: T) {
        withUnsafeBytes(of: integer.littleEndian) { combine($0) }
    }

    public static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0) -> UInt64 {
        var hasher = FNV1a(seed: seed)
        hasher.combine(bytes)
        return hasher.value
    }
}
