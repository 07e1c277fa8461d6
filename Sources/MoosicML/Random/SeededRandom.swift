/// moosic's one random number generator: xoshiro256** (Blackman & Vigna), seeded through
/// SplitMix64. Its stream, and every algorithm below that draws from it, is fixed by this file
/// alone (the standard library's `shuffle`, `random(in:)` and `Float.random` may change between
/// releases), so a seed names the same forest and the same network on every platform and toolchain.
/// The random forest derives one generator per tree from (seed, tree index), so the trees do not
/// depend on which thread builds them or in which order.
public struct SeededRandom: Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        var seeder = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift; the tiny bias is irrelevant here).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "an empty range")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform float in [0, 1): the top 24 bits of one draw, so every value is a multiple of 2⁻²⁴.
    public mutating func unitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform float in [-bound, bound).
    public mutating func symmetric(_ bound: Float) -> Float {
        bound * (2 * unitFloat() - 1)
    }

    /// Fisher–Yates over `below(_:)`: every order equally likely.
    public mutating func shuffle<T>(_ values: inout [T]) {
        var remaining = values.count
        while remaining > 1 {
            let pick = below(remaining)
            remaining -= 1
            values.swapAt(remaining, pick)
        }
    }
}
