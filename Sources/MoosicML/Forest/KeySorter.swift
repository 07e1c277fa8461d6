/// Sorts keys `bin << 32 | sample` by bin: insertion sort for a few, counting sort when the bins
/// span little more than the keys, else a two-pass radix sort on the 16-bit bin. All linear or
/// tiny, which is what makes exact splits as cheap as histogram ones here.
final class KeySorter {
    let keys: UnsafeMutablePointer<UInt64>
    private let spare: UnsafeMutablePointer<UInt64>
    private let buckets: UnsafeMutablePointer<Int>
    private static let bucketCount = FeatureBinning.maximumBins + 1

    init(capacity: Int) {
        keys = .allocate(capacity: max(capacity, 1))
        spare = .allocate(capacity: max(capacity, 1))
        buckets = .allocate(capacity: Self.bucketCount)
    }

    deinit {
        keys.deallocate()
        spare.deallocate()
        buckets.deallocate()
    }

    /// Sorts keys[0..<count] (bins in 0..<range); returns where the sorted keys are.
    func sort(count: Int, range: Int) -> UnsafeMutablePointer<UInt64> {
        if count <= 32 {
            for a in 1..<max(count, 1) {
                let key = keys[a]
                var b = a - 1
                while b >= 0, keys[b] > key {
                    keys[b + 1] = keys[b]
                    b -= 1
                }
                keys[b + 1] = key
            }
            return keys
        }
        if range <= 2 * count + 256 {
            pass(from: keys, to: spare, count: count, buckets: range) { Int($0 >> 32) }
            return spare
        }
        pass(from: keys, to: spare, count: count, buckets: 256) { Int(($0 >> 32) & 0xFF) }
        pass(from: spare, to: keys, count: count, buckets: 256) { Int($0 >> 40) }
        return keys
    }

    /// One stable counting-sort pass.
    @inline(__always)
    private func pass(from source: UnsafeMutablePointer<UInt64>, to target: UnsafeMutablePointer<UInt64>, count: Int,
                      buckets n: Int, bucket: (UInt64) -> Int) {
        for b in 0..<n { buckets[b] = 0 }
        for p in 0..<count { buckets[bucket(source[p])] += 1 }
        var sum = 0
        for b in 0..<n {
            let c = buckets[b]
            buckets[b] = sum
            sum += c
        }
        for p in 0..<count {
            let key = source[p]
            let b = bucket(key)
            target[buckets[b]] = key
            buckets[b] += 1
        }
    }
}
