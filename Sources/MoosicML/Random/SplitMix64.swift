/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter through a bit mixer. moosic uses it to
/// seed `SeededRandom` and, through `mix(_:)`, to finish hashes (folds, the ranker's jitter).
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The finaliser: every input bit flips about half the output bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
