import Dispatch
import Foundation

/// How a random forest is grown.
public struct RandomForestSettings: Sendable, Equatable {
    /// Moo-Sic's setting.
    public var trees = 160
    /// nil: grow until the leaves are pure or too small to split.
    public var maxDepth: Int?
    /// A split leaves at least this many distinct training samples on each side.
    public var minSamplesLeaf = 1
    /// Features tried per split; nil: ⌊√features⌋, as scikit-learn's max_features='sqrt'.
    public var maxFeatures: Int?
    public var seed: UInt64 = 42
    /// Threads building trees; nil: every core. The forest is the same whatever the count.
    public var threads: Int?

    public init(trees: Int = 160, maxDepth: Int? = nil, minSamplesLeaf: Int = 1, maxFeatures: Int? = nil,
                seed: UInt64 = 42, threads: Int? = nil) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.seed = seed
        self.threads = threads
    }
}

/// Training data for a classifier: row-major features and a class index per row.
public struct ClassificationData: Sendable {
    public var features: [Float]
    public var labels: [Int]
    public var featureCount: Int
    public var classes: [String]
    public var featureNames: [String]
    /// Rows with the same group (e.g. one song under two genres) count as one for the
    /// out-of-bag score: a row is scored only by trees that saw no row of its group.
    public var groups: [Int]?

    public init(features: [Float], labels: [Int], featureCount: Int, classes: [String], featureNames: [String],
                groups: [Int]? = nil) {
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
        self.classes = classes
        self.featureNames = featureNames
        self.groups = groups
    }

    public var count: Int { labels.count }
}

/// One CART tree over binned features. Children of a node are adjacent: an internal node's
/// `child` is its left child, `child + 1` its right. A leaf holds its class distribution as
/// byte-quantised shares (q / Σq per class): a pure leaf (one class, most leaves of a fully grown
/// tree) keeps its class in `bin`; another leaf keeps `bin` entries of `leafEntries` from `child`.
/// Everything a prediction needs is in the node it ends on, or one step away.
public struct DecisionTree: Sendable, Equatable {
    public static let pureLeaf: UInt8 = 254
    public static let leaf: UInt8 = 255

    /// 8 bytes, so that a step down the tree touches one cache line.
    public struct Node: Sendable, Equatable {
        public var feature: UInt8
        public var bin: UInt16
        public var child: UInt32

        public init(feature: UInt8, bin: UInt16, child: UInt32) {
            self.feature = feature
            self.bin = bin
            self.child = child
        }

        public var isLeaf: Bool { feature >= DecisionTree.pureLeaf }
    }

    public struct LeafEntry: Sendable, Equatable {
        public var classIndex: UInt16
        public var share: UInt8

        public init(classIndex: UInt16, share: UInt8) {
            self.classIndex = classIndex
            self.share = share
        }
    }

    public var nodes: [Node]
    public var leafEntries: [LeafEntry]

    public var nodeCount: Int { nodes.count }
    public var leafCount: Int { nodes.reduce(0) { $0 + ($1.isLeaf ? 1 : 0) } }

    /// `accumulate` for `count` rows (row r at `rows + r * rowStride`, its sums at
    /// `sums + r * sumStride`), walked down the tree together one level at a time: the rows' node
    /// loads are independent, so their cache misses overlap instead of queueing.
    @inline(__always)
    func accumulate(rows: UnsafePointer<UInt16>, rowStride: Int, count: Int, weight: Double,
                    sums: UnsafeMutablePointer<Double>, sumStride: Int, scratch current: UnsafeMutablePointer<Node>) {
        nodes.withUnsafeBufferPointer { nodes in
            for r in 0..<count { current[r] = nodes[0] }
            var moving = true
            while moving {
                moving = false
                for r in 0..<count {
                    let node = current[r]
                    guard node.feature < Self.pureLeaf else { continue }
                    let next = nodes[Int(node.child) + (rows[r * rowStride + Int(node.feature)] <= node.bin ? 0 : 1)]
                    current[r] = next
                    if next.feature < Self.pureLeaf { moving = true }
                }
            }
            for r in 0..<count {
                let node = current[r], out = sums + r * sumStride
                if node.feature == Self.pureLeaf {
                    out[Int(node.bin)] += weight
                    continue
                }
                leafEntries.withUnsafeBufferPointer { entries in
                    let start = Int(node.child), end = start + Int(node.bin)
                    var total = 0
                    for e in start..<end { total += Int(entries[e].share) }
                    let scale = weight / Double(total)
                    for e in start..<end { out[Int(entries[e].classIndex)] += Double(entries[e].share) * scale }
                }
            }
        }
    }

    /// Adds this tree's class distribution for a binned row, times `weight`, to `sums`.
    @inline(__always)
    func accumulate(_ row: UnsafePointer<UInt16>, stride: Int, weight: Double, into sums: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodes in
            var node = nodes[0]
            while node.feature < Self.pureLeaf {
                node = nodes[Int(node.child) + (row[Int(node.feature) * stride] <= node.bin ? 0 : 1)]
            }
            if node.feature == Self.pureLeaf {
                sums[Int(node.bin)] += weight
                return
            }
            leafEntries.withUnsafeBufferPointer { entries in
                let start = Int(node.child), end = start + Int(node.bin)
                var total = 0
                for e in start..<end { total += Int(entries[e].share) }
                let scale = weight / Double(total)
                for e in start..<end { sums[Int(entries[e].classIndex)] += Double(entries[e].share) * scale }
            }
        }
    }
}

/// A random forest classifier (Breiman): CART trees with Gini impurity on bootstrap samples,
/// ⌊√features⌋ candidate features per split, class probabilities averaged over the trees.
public struct RandomForest: Sendable, Equatable {
    public var classes: [String]
    public var featureNames: [String]
    public var binning: FeatureBinning
    public var trees: [DecisionTree]
    /// Mean decrease in Gini impurity per feature, summing to 1.
    public var featureImportances: [Double]
    /// Accuracy of each training row predicted by the trees that did not see it (nil if none).
    public var oobScore: Double?
    public var settings: RandomForestSettings

    public var nodeCount: Int { trees.reduce(0) { $0 + $1.nodeCount } }

    public init(classes: [String], featureNames: [String], binning: FeatureBinning, trees: [DecisionTree],
                featureImportances: [Double], oobScore: Double?, settings: RandomForestSettings) {
        self.classes = classes
        self.featureNames = featureNames
        self.binning = binning
        self.trees = trees
        self.featureImportances = featureImportances
        self.oobScore = oobScore
        self.settings = settings
    }

    // MARK: Training

    public static func train(_ data: ClassificationData, settings: RandomForestSettings = RandomForestSettings()) throws -> RandomForest {
        let n = data.count, d = data.featureCount
        guard n > 0 else { throw MLError.invalidData("no training rows") }
        guard d > 0, d < 254, data.features.count == n * d else {
            throw MLError.invalidData("training data needs 1 to 254 features per row")
        }
        guard !data.classes.isEmpty, data.classes.count <= Int(UInt16.max),
              data.labels.allSatisfy({ $0 >= 0 && $0 < data.classes.count }) else {
            throw MLError.invalidData("training labels must index 1 to 65535 classes")
        }
        guard settings.trees > 0, settings.minSamplesLeaf > 0, settings.maxDepth.map({ $0 >= 0 }) ?? true,
              settings.maxFeatures.map({ $0 > 0 }) ?? true, settings.threads.map({ $0 > 0 }) ?? true else {
            throw MLError.invalidSettings("trees, leaf size, features and threads must be positive, depth not negative")
        }
        let binning = FeatureBinning(rows: data.features, count: n, features: d)
        let columns = binning.binColumns(rows: data.features, count: n)
        let labels = data.labels.map { UInt16($0) }
        let builder = TreeBuilder(columns: columns, labels: labels, sampleCount: n, featureCount: d,
                                  classCount: data.classes.count, settings: settings)

        let treeCount = settings.trees
        var built = [TreeBuilder.Result?](repeating: nil, count: treeCount)
        let threads = min(settings.threads ?? ProcessInfo.processInfo.activeProcessorCount, treeCount)
        built.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            let next = NextIndex()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let t = next.take(below: treeCount) {
                    slots[t] = builder.build(tree: t)
                }
            }
        }
        let results = built.map { $0! }

        var importances = [Double](repeating: 0, count: d)
        for result in results {
            let total = result.importance.reduce(0, +)
            guard total > 0 else { continue }
            for f in 0..<d { importances[f] += result.importance[f] / total }
        }
        let importanceTotal = importances.reduce(0, +)
        if importanceTotal > 0 { importances = importances.map { $0 / importanceTotal } }

        let trees = results.map(\.tree)
        var kept = settings
        kept.threads = nil
        guard data.groups.map({ $0.count == n }) ?? true else {
            throw MLError.invalidData("training data needs one group per row")
        }
        let oob = outOfBagScore(trees: trees, inBag: results.map(\.inBag), groups: data.groups, columns: columns,
                                labels: labels, sampleCount: n, classCount: data.classes.count, threads: threads)
        return RandomForest(classes: data.classes, featureNames: data.featureNames, binning: binning, trees: trees,
                            featureImportances: importances, oobScore: oob, settings: kept)
    }

    private static func outOfBagScore(trees: [DecisionTree], inBag: [[UInt64]], groups: [Int]?, columns: [UInt16],
                                      labels: [UInt16], sampleCount n: Int, classCount: Int, threads: Int) -> Double? {
        // The rows of each row's group (itself alone without groups).
        var members: [[Int]] = []
        var memberIndex = Array(0..<n)
        if let groups {
            var slot: [Int: Int] = [:]
            for i in 0..<n {
                let g = slot[groups[i]] ?? { slot[groups[i]] = members.count; members.append([]); return members.count - 1 }()
                members[g].append(i)
                memberIndex[i] = g
            }
        } else {
            members = (0..<n).map { [$0] }
        }
        let groupMembers = members, groupOf = memberIndex
        @Sendable func outOfBag(_ t: Int, _ i: Int) -> Bool {
            groupMembers[groupOf[i]].allSatisfy { inBag[t][$0 >> 6] & (1 << UInt64($0 & 63)) == 0 }
        }
        let chunk = 1024
        let chunks = (n + chunk - 1) / chunk
        var perChunk = [(correct: Int, counted: Int)](repeating: (0, 0), count: chunks)
        columns.withUnsafeBufferPointer { columns in
            perChunk.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                nonisolated(unsafe) let columns = columns
                let next = NextIndex()
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    var sums = [Double](repeating: 0, count: classCount)
                    while let c = next.take(below: chunks) {
                        var correct = 0, counted = 0
                        for i in c * chunk..<min(n, (c + 1) * chunk) {
                            for k in 0..<classCount { sums[k] = 0 }
                            var seen = false
                            sums.withUnsafeMutableBufferPointer { sums in
                                for t in trees.indices where outOfBag(t, i) {
                                    seen = true
                                    trees[t].accumulate(columns.baseAddress! + i, stride: n, weight: 1,
                                                        into: sums.baseAddress!)
                                }
                            }
                            guard seen else { continue }
                            counted += 1
                            if argmax(sums) == Int(labels[i]) { correct += 1 }
                        }
                        out[c] = (correct, counted)
                    }
                }
            }
        }
        let counted = perChunk.reduce(0) { $0 + $1.counted }
        guard counted > 0 else { return nil }
        return Double(perChunk.reduce(0) { $0 + $1.correct }) / Double(counted)
    }

    // MARK: Prediction

    /// Class probabilities for row-major rows: `count × classes.count` values, each row summing to 1.
    /// Rows go in chunks, tree by tree within a chunk, so a tree's upper levels stay in cache.
    public func probabilities(rows: [Float], threads: Int? = nil) -> [Double] {
        let d = featureNames.count, c = classes.count
        let count = d == 0 ? 0 : rows.count / d
        var out = [Double](repeating: 0, count: count * c)
        // Large chunks: a tree is walked by many rows while its nodes are in cache.
        let cores = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let chunk = min(2048, max(64, count / (4 * cores)))
        let chunks = (count + chunk - 1) / chunk
        let workers = max(1, min(cores, chunks))
        let weight = 1 / Double(trees.count)
        out.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let next = NextIndex()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var binned = [UInt16](repeating: 0, count: d * chunk)
                let group = 16
                var scratch = [DecisionTree.Node](repeating: DecisionTree.Node(feature: 0, bin: 0, child: 0), count: group)
                while let k = next.take(below: chunks) {
                    let first = k * chunk, rowsHere = min(count, first + chunk) - first
                    for r in 0..<rowsHere {
                        for f in 0..<d { binned[r * d + f] = binning.bin(rows[(first + r) * d + f], feature: f) }
                    }
                    binned.withUnsafeBufferPointer { binned in
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            for tree in trees {
                                for r in stride(from: 0, to: rowsHere, by: group) {
                                    tree.accumulate(rows: binned.baseAddress! + r * d, rowStride: d,
                                                    count: min(group, rowsHere - r), weight: weight,
                                                    sums: out.baseAddress! + (first + r) * c, sumStride: c,
                                                    scratch: scratch.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Class probabilities for one row.
    public func probabilities(_ row: [Float]) -> [Double] {
        probabilities(rows: row, threads: 1)
    }
}

package func argmax(_ values: [Double]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

package func argmax(_ values: UnsafeBufferPointer<Double>) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

/// Hands out 0, 1, 2, … to worker threads.
final class NextIndex: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Grows one tree. Shared read-only by the worker threads; each call owns its scratch buffers.
struct TreeBuilder: @unchecked Sendable {
    let columns: [UInt16]
    let labels: [UInt16]
    let sampleCount: Int
    let featureCount: Int
    let classCount: Int
    let settings: RandomForestSettings

    struct Result {
        var tree: DecisionTree
        /// Bit i set: sample i is in the tree's bootstrap sample.
        var inBag: [UInt64]
        /// Weighted Gini decrease per feature.
        var importance: [Double]
    }

    func build(tree index: Int) -> Result {
        let n = sampleCount, d = featureCount, c = classCount
        var rng = SeededRandom(seed: settings.seed, stream: UInt64(index))
        // The bootstrap sample as multiplicities: a row drawn k times is one sample of weight k.
        var weight = [Int32](repeating: 0, count: n)
        for _ in 0..<n { weight[rng.below(n)] += 1 }
        var inBag = [UInt64](repeating: 0, count: (n + 63) / 64)
        var samples: [Int32] = []
        samples.reserveCapacity(n)
        for i in 0..<n where weight[i] > 0 {
            samples.append(Int32(i))
            inBag[i >> 6] |= 1 << UInt64(i & 63)
        }
        let mtry = min(d, settings.maxFeatures ?? max(1, Int(Double(d).squareRoot())))
        let minLeaf = settings.minSamplesLeaf
        let maxDepth = settings.maxDepth ?? Int.max

        var tree = DecisionTree(nodes: [DecisionTree.Node(feature: 0, bin: 0, child: 0)], leafEntries: [])
        var importance = [Double](repeating: 0, count: d)
        var stack: [(start: Int, end: Int, depth: Int, node: Int)] = [(0, samples.count, 0, 0)]
        var counts = [Int](repeating: 0, count: c)
        var left = [Int](repeating: 0, count: c)
        var right = [Int](repeating: 0, count: c)
        var featureOrder = Array(0..<d)
        let sorter = KeySorter(capacity: samples.count)

        columns.withUnsafeBufferPointer { columns in
        labels.withUnsafeBufferPointer { labels in
        weight.withUnsafeBufferPointer { weight in
        while let item = stack.popLast() {
            let (start, end, depth, node) = item
            for k in 0..<c { counts[k] = 0 }
            var total = 0
            for s in start..<end {
                let i = Int(samples[s])
                counts[Int(labels[i])] += Int(weight[i])
                total += Int(weight[i])
            }
            var sumSquares = 0
            var classesPresent = 0
            for k in 0..<c where counts[k] > 0 {
                sumSquares += counts[k] * counts[k]
                classesPresent += 1
            }
            let size = end - start
            var best: (feature: Int, bin: Int, score: Double)?
            if classesPresent > 1, size >= 2 * minLeaf, size >= 2, depth < maxDepth {
                let parentScore = Double(sumSquares) / Double(total)
                // Draw features without replacement until mtry non-constant ones were tried
                // (constant ones do not count, as in scikit-learn).
                var drawn = 0, tried = 0
                while drawn < d, tried < mtry {
                    let pick = drawn + rng.below(d - drawn)
                    featureOrder.swapAt(drawn, pick)
                    let f = featureOrder[drawn]
                    drawn += 1
                    let column = columns.baseAddress! + f * n
                    var low = Int.max, high = 0
                    for s in start..<end {
                        let b = Int(column[Int(samples[s])])
                        if b < low { low = b }
                        if b > high { high = b }
                    }
                    if low == high { continue }
                    tried += 1
                    // The node's samples sorted by bin, as keys (bin - low) << 32 | sample.
                    for s in 0..<size {
                        let i = samples[start + s]
                        sorter.keys[s] = UInt64(Int(column[Int(i)]) - low) << 32 | UInt64(UInt32(i))
                    }
                    let sorted = sorter.sort(count: size, range: high - low + 1)
                    for k in 0..<c { left[k] = 0; right[k] = counts[k] }
                    var leftSquares = 0, rightSquares = sumSquares
                    var leftWeight = 0
                    for p in 0..<(size - 1) {
                        let key = sorted[p]
                        let i = Int(key & 0xFFFF_FFFF)
                        let k = Int(labels[i]), w = Int(weight[i])
                        leftSquares += 2 * w * left[k] + w * w
                        rightSquares -= 2 * w * right[k] - w * w
                        left[k] += w
                        right[k] -= w
                        leftWeight += w
                        let leftSize = p + 1
                        if size - leftSize < minLeaf { break }
                        // Split only between different bins.
                        guard leftSize >= minLeaf, sorted[p + 1] >> 32 != key >> 32 else { continue }
                        let score = Double(leftSquares) / Double(leftWeight)
                            + Double(rightSquares) / Double(total - leftWeight)
                        if score > (best?.score ?? -1) { best = (f, Int(key >> 32) + low, score) }
                    }
                }
                if let found = best {
                    importance[found.feature] += found.score - parentScore
                }
            }
            guard let split = best else {
                tree.nodes[node] = leaf(counts: counts, total: total, tree: &tree)
                continue
            }
            // Partition the node's samples: bin ≤ split.bin first.
            let column = columns.baseAddress! + split.feature * n
            var i = start, j = end - 1
            while i <= j {
                if Int(column[Int(samples[i])]) <= split.bin {
                    i += 1
                } else {
                    samples.swapAt(i, j)
                    j -= 1
                }
            }
            let leftChild = tree.nodeCount
            tree.nodes[node] = DecisionTree.Node(feature: UInt8(split.feature), bin: UInt16(split.bin),
                                                 child: UInt32(leftChild))
            tree.nodes.append(DecisionTree.Node(feature: 0, bin: 0, child: 0))
            tree.nodes.append(DecisionTree.Node(feature: 0, bin: 0, child: 0))
            stack.append((i, end, depth + 1, leftChild + 1))
            stack.append((start, i, depth + 1, leftChild))
        }
        }
        }
        }
        return Result(tree: tree, inBag: inBag, importance: importance)
    }

    /// A leaf with the class shares quantised to bytes (q = round(255 · share), zeros dropped): the
    /// model file keeps exactly these, so a saved and loaded forest predicts what the trained one did.
    private func leaf(counts: [Int], total: Int, tree: inout DecisionTree) -> DecisionTree.Node {
        let start = tree.leafEntries.count
        var largest = 0
        for k in 0..<classCount where counts[k] > 0 {
            if counts[k] > counts[largest] { largest = k }
            let q = (counts[k] * 255 * 2 + total) / (2 * total)
            if q > 0 { tree.leafEntries.append(DecisionTree.LeafEntry(classIndex: UInt16(k), share: UInt8(q))) }
        }
        let stored = tree.leafEntries.count - start
        // One entry left (or none: only possible with > 510 near-equal classes): all of it is one class.
        if stored <= 1 {
            let only = stored == 1 ? Int(tree.leafEntries[start].classIndex) : largest
            tree.leafEntries.removeLast(stored)
            return DecisionTree.Node(feature: DecisionTree.pureLeaf, bin: UInt16(only), child: 0)
        }
        return DecisionTree.Node(feature: DecisionTree.leaf, bin: UInt16(stored), child: UInt32(start))
    }
}

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
