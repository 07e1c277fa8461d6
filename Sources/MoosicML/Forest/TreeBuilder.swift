/// Grows one CART tree of the forest. Shared read-only by the worker threads; each `build` owns
/// its scratch buffers.
struct TreeBuilder: @unchecked Sendable {
    /// Binned features, feature-major: sample i's bin of feature f at `f * sampleCount + i`.
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

    /// Tree `index`: its bootstrap sample and its feature draws come from the generator of stream
    /// `index`, so the tree is the same whichever thread grows it.
    func build(tree index: Int) -> Result {
        var rng = SeededRandom(seed: settings.seed, stream: UInt64(index))
        let bootstrap = Bootstrap(sampleCount: sampleCount, using: &rng)
        return columns.withUnsafeBufferPointer { columns in
            labels.withUnsafeBufferPointer { labels in
                bootstrap.weight.withUnsafeBufferPointer { weight in
                    var growth = TreeGrowth(builder: self, columns: columns.baseAddress!, labels: labels.baseAddress!,
                                            weight: weight.baseAddress!, samples: bootstrap.samples)
                    growth.grow(using: &rng)
                    return Result(tree: growth.tree, inBag: bootstrap.inBag, importance: growth.importance)
                }
            }
        }
    }
}

/// A bootstrap sample (n draws with replacement from n samples) as multiplicities: a sample drawn
/// k times is one sample of weight k.
struct Bootstrap {
    var weight: [Int32]
    /// The drawn samples, each once, ascending.
    var samples: [Int32]
    /// Bit i set: sample i was drawn.
    var inBag: [UInt64]

    init(sampleCount n: Int, using rng: inout SeededRandom) {
        weight = [Int32](repeating: 0, count: n)
        for _ in 0..<n { weight[rng.below(n)] += 1 }
        inBag = [UInt64](repeating: 0, count: (n + 63) / 64)
        samples = []
        samples.reserveCapacity(n)
        for i in 0..<n where weight[i] > 0 {
            samples.append(Int32(i))
            inBag[i >> 6] |= 1 << UInt64(i & 63)
        }
    }
}

/// The growing of one tree, depth first: the nodes still to split wait on a stack, each with its
/// range of `samples` (partitioned in place as the tree grows).
private struct TreeGrowth {
    struct Pending {
        var start: Int, end: Int, depth: Int, node: Int
        var size: Int { end - start }
    }

    /// A node's class weights: Σ weight per class, their total and Σ count².
    struct Statistics {
        var total = 0
        var sumSquares = 0
        var classesPresent = 0
    }

    /// A threshold split: samples with bin ≤ `bin` of `feature` go left. `score` is the Gini
    /// criterion Σ_side Σ_class count² / side weight, larger for purer children.
    struct Split {
        var feature: Int, bin: Int, score: Double
    }

    let columns: UnsafePointer<UInt16>
    let labels: UnsafePointer<UInt16>
    let weight: UnsafePointer<Int32>
    let n: Int, d: Int, c: Int
    let mtry: Int, minLeaf: Int, maxDepth: Int
    var samples: [Int32]
    var tree = DecisionTree(nodes: [DecisionTree.Node(feature: 0, bin: 0, child: 0)], leafEntries: [])
    var importance: [Double]
    var stack: [Pending]
    /// Scratch: the class weights of the node being split, and of each side of a candidate split.
    var counts: [Int], left: [Int], right: [Int]
    /// The features in the order drawn so far at this node (a partial Fisher–Yates).
    var featureOrder: [Int]
    let sorter: KeySorter

    init(builder: TreeBuilder, columns: UnsafePointer<UInt16>, labels: UnsafePointer<UInt16>,
         weight: UnsafePointer<Int32>, samples: [Int32]) {
        self.columns = columns
        self.labels = labels
        self.weight = weight
        n = builder.sampleCount
        d = builder.featureCount
        c = builder.classCount
        let settings = builder.settings
        mtry = min(d, settings.maxFeatures ?? max(1, Int(Double(d).squareRoot())))
        minLeaf = settings.minSamplesLeaf
        maxDepth = settings.maxDepth ?? Int.max
        self.samples = samples
        importance = [Double](repeating: 0, count: d)
        stack = [Pending(start: 0, end: samples.count, depth: 0, node: 0)]
        counts = [Int](repeating: 0, count: c)
        left = counts
        right = counts
        featureOrder = Array(0..<d)
        sorter = KeySorter(capacity: samples.count)
    }

    mutating func grow(using rng: inout SeededRandom) {
        while let pending = stack.popLast() {
            let statistics = countClasses(pending)
            var best: Split?
            if statistics.classesPresent > 1, pending.size >= 2 * minLeaf, pending.size >= 2, pending.depth < maxDepth {
                best = bestSplit(pending, statistics, using: &rng)
                if let found = best {
                    importance[found.feature] += found.score - Double(statistics.sumSquares) / Double(statistics.total)
                }
            }
            guard let split = best else {
                tree.nodes[pending.node] = leaf(total: statistics.total)
                continue
            }
            branch(pending, at: split)
        }
    }

    /// Fills `counts` with the node's class weights.
    mutating func countClasses(_ pending: Pending) -> Statistics {
        for k in 0..<c { counts[k] = 0 }
        var statistics = Statistics()
        for s in pending.start..<pending.end {
            let i = Int(samples[s])
            counts[Int(labels[i])] += Int(weight[i])
            statistics.total += Int(weight[i])
        }
        for k in 0..<c where counts[k] > 0 {
            statistics.sumSquares += counts[k] * counts[k]
            statistics.classesPresent += 1
        }
        return statistics
    }

    /// The best split over features drawn without replacement until `mtry` non-constant ones were
    /// tried (constant ones do not count, as in scikit-learn); nil if every feature is constant here.
    mutating func bestSplit(_ pending: Pending, _ statistics: Statistics, using rng: inout SeededRandom) -> Split? {
        var best: Split?
        var drawn = 0, tried = 0
        while drawn < d, tried < mtry {
            let pick = drawn + rng.below(d - drawn)
            featureOrder.swapAt(drawn, pick)
            let f = featureOrder[drawn]
            drawn += 1
            let column = columns + f * n
            var low = Int.max, high = 0
            for s in pending.start..<pending.end {
                let b = Int(column[Int(samples[s])])
                if b < low { low = b }
                if b > high { high = b }
            }
            if low == high { continue }
            tried += 1
            scanThresholds(of: f, binsFrom: low, to: high, pending, statistics, best: &best)
        }
        return best
    }

    /// Tries every threshold of feature `f` between two different bins present at the node;
    /// keeps the best in `best`.
    mutating func scanThresholds(of f: Int, binsFrom low: Int, to high: Int, _ pending: Pending,
                                 _ statistics: Statistics, best: inout Split?) {
        let column = columns + f * n
        let size = pending.size
        // The node's samples sorted by bin, as keys (bin - low) << 32 | sample.
        for s in 0..<size {
            let i = samples[pending.start + s]
            sorter.keys[s] = UInt64(Int(column[Int(i)]) - low) << 32 | UInt64(UInt32(i))
        }
        let sorted = sorter.sort(count: size, range: high - low + 1)
        for k in 0..<c { left[k] = 0; right[k] = counts[k] }
        var leftSquares = 0, rightSquares = statistics.sumSquares
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
                + Double(rightSquares) / Double(statistics.total - leftWeight)
            if score > (best?.score ?? -1) { best = Split(feature: f, bin: Int(key >> 32) + low, score: score) }
        }
    }

    /// Makes the node internal: partitions its samples (bin ≤ split.bin first) and queues its two
    /// children, the left one to be grown first.
    mutating func branch(_ pending: Pending, at split: Split) {
        let column = columns + split.feature * n
        var i = pending.start, j = pending.end - 1
        while i <= j {
            if Int(column[Int(samples[i])]) <= split.bin {
                i += 1
            } else {
                samples.swapAt(i, j)
                j -= 1
            }
        }
        let leftChild = tree.nodeCount
        tree.nodes[pending.node] = DecisionTree.Node(feature: UInt8(split.feature), bin: UInt16(split.bin),
                                                     child: UInt32(leftChild))
        tree.nodes.append(DecisionTree.Node(feature: 0, bin: 0, child: 0))
        tree.nodes.append(DecisionTree.Node(feature: 0, bin: 0, child: 0))
        stack.append(Pending(start: i, end: pending.end, depth: pending.depth + 1, node: leftChild + 1))
        stack.append(Pending(start: pending.start, end: i, depth: pending.depth + 1, node: leftChild))
    }

    /// A leaf of the class weights in `counts`, the shares quantised to bytes (q = round(255 ·
    /// share), zeros dropped): the model file keeps exactly these, so a saved and loaded forest
    /// predicts what the trained one did.
    mutating func leaf(total: Int) -> DecisionTree.Node {
        let start = tree.leafEntries.count
        var largest = 0
        for k in 0..<c where counts[k] > 0 {
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
