import Foundation

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
}

// MARK: Training

extension RandomForest {
    /// A forest over `data`, whose labels index `classes` and whose columns are `featureNames`.
    /// The out-of-bag score keeps `data.groups` together. `progress` hears how many trees are
    /// grown, from the worker threads.
    public static func train(_ data: Dataset, classes: [String], featureNames: [String],
                             settings: RandomForestSettings = RandomForestSettings(),
                             progress: (@Sendable (_ treesGrown: Int) -> Void)? = nil) throws -> RandomForest {
        try validate(data, classes: classes, featureNames: featureNames, settings: settings)
        let n = data.rows, d = data.columns
        let binning = FeatureBinning(rows: data.features, count: n, features: d)
        let columns = binning.binColumns(rows: data.features, count: n)
        let labels = data.labels.map { UInt16($0) }
        let builder = TreeBuilder(columns: columns, labels: labels, sampleCount: n, featureCount: d,
                                  classCount: classes.count, settings: settings)
        let threads = min(settings.threads ?? WorkerPool.cores, settings.trees)
        let results = buildTrees(builder, count: settings.trees, threads: threads, progress: progress)
        let trees = results.map(\.tree)
        let outOfBag = OutOfBagScoring(trees: trees, inBag: results.map(\.inBag), groups: data.groups, sampleCount: n)
        let oob = outOfBag.accuracy(columns: columns, labels: labels, classCount: classes.count, threads: threads)
        var kept = settings
        kept.threads = nil
        return RandomForest(classes: classes, featureNames: featureNames, binning: binning, trees: trees,
                            featureImportances: importances(results, featureCount: d), oobScore: oob, settings: kept)
    }

    private static func validate(_ data: Dataset, classes: [String], featureNames: [String],
                                 settings: RandomForestSettings) throws {
        guard data.rows > 0 else { throw MLError.invalidData("no training rows") }
        precondition(featureNames.count == data.columns, "one name per feature")
        guard data.columns > 0, data.columns < Int(DecisionTree.pureLeaf) else {
            throw MLError.invalidData("training data needs 1 to 254 features per row")
        }
        guard !classes.isEmpty, classes.count <= Int(UInt16.max),
              data.labels.allSatisfy({ $0 >= 0 && $0 < classes.count }) else {
            throw MLError.invalidData("training labels must index 1 to 65535 classes")
        }
        guard settings.trees > 0, settings.minSamplesLeaf > 0, settings.maxDepth.map({ $0 >= 0 }) ?? true,
              settings.maxFeatures.map({ $0 > 0 }) ?? true, settings.threads.map({ $0 > 0 }) ?? true else {
            throw MLError.invalidSettings("trees, leaf size, features and threads must be positive, depth not negative")
        }
    }

    private static func buildTrees(_ builder: TreeBuilder, count: Int, threads: Int,
                                   progress: (@Sendable (Int) -> Void)?) -> [TreeBuilder.Result] {
        var built = [TreeBuilder.Result?](repeating: nil, count: count)
        let grown = TreeCounter()
        built.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            WorkerPool.run(tasks: count, workers: threads) { nextTask in
                while let t = nextTask() {
                    slots[t] = builder.build(tree: t)
                    if let progress { progress(grown.increment()) }
                }
            }
        }
        return built.map { $0! }
    }

    /// Each tree's Gini decreases as shares of its total, averaged over the trees, summing to 1.
    private static func importances(_ results: [TreeBuilder.Result], featureCount d: Int) -> [Double] {
        var importances = [Double](repeating: 0, count: d)
        for result in results {
            let total = result.importance.reduce(0, +)
            guard total > 0 else { continue }
            for f in 0..<d { importances[f] += result.importance[f] / total }
        }
        let importanceTotal = importances.reduce(0, +)
        if importanceTotal > 0 { importances = importances.map { $0 / importanceTotal } }
        return importances
    }
}

/// Which trees may score a training row out of bag: those whose bootstrap sample holds no row of
/// the row's group (the row alone without groups).
private struct OutOfBagScoring: Sendable {
    let trees: [DecisionTree]
    let inBag: [[UInt64]]
    /// The rows of each group, and each row's group.
    let members: [[Int]]
    let groupOf: [Int]
    let sampleCount: Int

    init(trees: [DecisionTree], inBag: [[UInt64]], groups: [Int]?, sampleCount n: Int) {
        self.trees = trees
        self.inBag = inBag
        sampleCount = n
        guard let groups else {
            members = (0..<n).map { [$0] }
            groupOf = Array(0..<n)
            return
        }
        var members: [[Int]] = []
        var groupOf = Array(0..<n)
        var slot: [Int: Int] = [:]
        for i in 0..<n {
            let g = slot[groups[i]] ?? { slot[groups[i]] = members.count; members.append([]); return members.count - 1 }()
            members[g].append(i)
            groupOf[i] = g
        }
        self.members = members
        self.groupOf = groupOf
    }

    func isOutOfBag(row i: Int, tree t: Int) -> Bool {
        members[groupOf[i]].allSatisfy { inBag[t][$0 >> 6] & (1 << UInt64($0 & 63)) == 0 }
    }

    /// The share of rows, among those some tree can score, that their out-of-bag trees classify
    /// right; nil when every tree saw every row. Rows go in chunks of 1024 across `threads`.
    func accuracy(columns: [UInt16], labels: [UInt16], classCount: Int, threads: Int) -> Double? {
        let n = sampleCount, chunk = 1024
        let chunks = (n + chunk - 1) / chunk
        var perChunk = [(correct: Int, counted: Int)](repeating: (0, 0), count: chunks)
        columns.withUnsafeBufferPointer { columns in
            perChunk.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                nonisolated(unsafe) let columns = columns
                WorkerPool.run(tasks: chunks, workers: threads) { nextTask in
                    var sums = [Double](repeating: 0, count: classCount)
                    while let c = nextTask() {
                        var correct = 0, counted = 0
                        for i in c * chunk..<min(n, (c + 1) * chunk) {
                            guard let votes = vote(row: i, columns: columns.baseAddress!, into: &sums) else { continue }
                            counted += 1
                            if votes == Int(labels[i]) { correct += 1 }
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

    /// The class row `i`'s out-of-bag trees find most probable (`sums` is scratch); nil if no tree is out of bag.
    private func vote(row i: Int, columns: UnsafePointer<UInt16>, into sums: inout [Double]) -> Int? {
        for k in sums.indices { sums[k] = 0 }
        var seen = false
        sums.withUnsafeMutableBufferPointer { sums in
            for t in trees.indices where isOutOfBag(row: i, tree: t) {
                seen = true
                trees[t].accumulate(columns + i, stride: sampleCount, weight: 1, into: sums.baseAddress!)
            }
        }
        return seen ? argmax(sums) : nil
    }
}

// MARK: Prediction

extension RandomForest {
    /// Class probabilities for row-major rows: `count × classes.count` values, each row summing to 1.
    /// Rows go in chunks, tree by tree within a chunk, so a tree's upper levels stay in cache.
    public func probabilities(rows: [Float], threads: Int? = nil) -> [Double] {
        let d = featureNames.count, c = classes.count
        let count = d == 0 ? 0 : rows.count / d
        var out = [Double](repeating: 0, count: count * c)
        // Large chunks: a tree is walked by many rows while its nodes are in cache.
        let cores = max(1, threads ?? WorkerPool.cores)
        let chunk = min(2048, max(64, count / (4 * cores)))
        let chunks = (count + chunk - 1) / chunk
        out.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            WorkerPool.run(tasks: chunks, workers: min(cores, chunks)) { nextTask in
                var binned = [UInt16](repeating: 0, count: d * chunk)
                var scratch = [DecisionTree.Node](repeating: DecisionTree.Node(feature: 0, bin: 0, child: 0),
                                                  count: Self.rowsPerWalk)
                while let k = nextTask() {
                    let first = k * chunk, rowsHere = min(count, first + chunk) - first
                    for r in 0..<rowsHere {
                        for f in 0..<d { binned[r * d + f] = binning.bin(rows[(first + r) * d + f], feature: f) }
                    }
                    accumulate(binned: binned, rows: rowsHere, into: out.baseAddress! + first * c, scratch: &scratch)
                }
            }
        }
        return out
    }

    /// Rows walked down a tree together (see `DecisionTree.accumulate(rows:…)`).
    private static let rowsPerWalk = 16

    /// Adds every tree's share of the class distributions of `rows` binned rows to `sums`.
    private func accumulate(binned: [UInt16], rows: Int, into sums: UnsafeMutablePointer<Double>,
                            scratch: inout [DecisionTree.Node]) {
        let d = featureNames.count, c = classes.count
        let weight = 1 / Double(trees.count)
        binned.withUnsafeBufferPointer { binned in
            scratch.withUnsafeMutableBufferPointer { scratch in
                for tree in trees {
                    for r in stride(from: 0, to: rows, by: Self.rowsPerWalk) {
                        tree.accumulate(rows: binned.baseAddress! + r * d, rowStride: d,
                                        count: min(Self.rowsPerWalk, rows - r), weight: weight,
                                        sums: sums + r * c, sumStride: c, scratch: scratch.baseAddress!)
                    }
                }
            }
        }
    }
}

/// The index of the largest value (the first of equals).
@inlinable
package func argmax<C: RandomAccessCollection<Double>>(_ values: C) -> Int where C.Index == Int {
    var best = values.startIndex
    for i in values.indices where values[i] > values[best] { best = i }
    return best - values.startIndex
}

/// Trees grown so far, counted from the worker threads.
private final class TreeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
