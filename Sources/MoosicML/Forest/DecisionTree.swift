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
            for r in 0..<count { add(leaf: current[r], weight: weight, into: sums + r * sumStride) }
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
            add(leaf: node, weight: weight, into: sums)
        }
    }

    /// Adds a leaf's class distribution, times `weight`, to `sums`.
    @inline(__always)
    private func add(leaf node: Node, weight: Double, into sums: UnsafeMutablePointer<Double>) {
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
