import Foundation

/// The forest's file format, version 1 (little-endian):
///
///     "MOOSICRF"  u32 version
///     u32 classes, each u16 length + UTF-8 name;  u32 features, each name likewise
///     per feature: u16 edge count, f32 edges
///     settings: u32 trees, i32 max depth (-1 none), u32 min leaf, i32 max features (-1 √), u64 seed
///     f64 OOB score (NaN none), f64 importance per feature
///     u32 trees, each: u32 node count, then its nodes in preorder:
///         internal: u8 feature, u16 bin, left subtree, right subtree
///         pure leaf: u8 254, class
///         other leaf: u8 255, u16 count, count × (class, u8 share)
///       (class is u8 with ≤ 256 classes, u16 otherwise)
///     u64 FNV-1a of everything before
///
/// Preorder lets the child links be implied (3 bytes per internal node instead of 8), and it is
/// the order the trees are grown in, so a loaded forest equals the saved one array for array.
extension RandomForest {
    static let magic = Array("MOOSICRF".utf8)
    public static let formatVersion: UInt32 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: Self.magic)
        w.u32(Self.formatVersion)
        w.u32(UInt32(classes.count))
        for name in classes { w.string(name) }
        w.u32(UInt32(featureNames.count))
        for name in featureNames { w.string(name) }
        for edges in binning.edges {
            w.u16(UInt16(edges.count))
            for e in edges { w.u32(e.bitPattern) }
        }
        w.u32(UInt32(settings.trees))
        w.u32(UInt32(bitPattern: Int32(settings.maxDepth ?? -1)))
        w.u32(UInt32(settings.minSamplesLeaf))
        w.u32(UInt32(bitPattern: Int32(settings.maxFeatures ?? -1)))
        w.u64(settings.seed)
        w.u64((oobScore ?? .nan).bitPattern)
        for v in featureImportances { w.u64(v.bitPattern) }
        w.u32(UInt32(trees.count))
        for tree in trees { w.tree(tree, wideClasses: classes.count > 256) }
        w.u64(FNV1a.hash(w.bytes))
        return w.bytes
    }

    public init(encoded bytes: [UInt8], name: String) throws {
        guard bytes.count >= 12, Array(bytes[0..<8]) == Self.magic else {
            throw MLError.invalidData("\(name) is not a moosic genre model (no MOOSICRF header)")
        }
        var r = ByteReader(bytes: bytes, position: 8, name: name)
        let version = try r.u32()
        guard version == Self.formatVersion else {
            throw MLError.invalidData("\(name) is a genre model of format version \(version); this moosic reads version \(Self.formatVersion): train it again")
        }
        guard bytes.count >= 20 else { throw r.corrupt("truncated") }
        var stored = ByteReader(bytes: bytes, position: bytes.count - 8, name: name)
        let expected = try stored.u64()
        // The checksum runs on another core while the trees are decoded (the shipped model is
        // 21.6 MB and every recommendation loads it); a mismatch wins over any decoding error.
        let checksum = ChecksumTask(bytes)
        let mismatch = r.corrupt("checksum mismatch")
        r.end = bytes.count - 8
        let decoded = Result { try Self.decodeBody(&r) }
        guard checksum.value() == expected else { throw mismatch }
        self = try decoded.get()
    }

    /// What a model file says about itself before its trees: enough to name, list and version a
    /// model without decoding ~8 million nodes (the profile needs the trees only for tracks that
    /// nothing better covers and whose probabilities are not cached).
    public struct Header: Sendable, Equatable {
        public var classes: [String]
        public var featureNames: [String]
        public var featureImportances: [Double]
        public var oobScore: Double?
        /// The file's stored FNV-1a checksum as 16 hex digits: it changes whenever any byte of the
        /// model does, so it names the model's version (not verified here: `init(encoded:)` does).
        public var checksum: String
    }

    public static func header(encoded bytes: [UInt8], name: String) throws -> Header {
        guard bytes.count >= 20, Array(bytes[0..<8]) == Self.magic else {
            throw MLError.invalidData("\(name) is not a moosic genre model (no MOOSICRF header)")
        }
        var r = ByteReader(bytes: bytes, position: 8, name: name)
        let version = try r.u32()
        guard version == Self.formatVersion else {
            throw MLError.invalidData("\(name) is a genre model of format version \(version); this moosic reads version \(Self.formatVersion): train it again")
        }
        var stored = ByteReader(bytes: bytes, position: bytes.count - 8, name: name)
        let checksum = try stored.u64()
        r.end = bytes.count - 8
        do {
            let (classes, featureNames, _) = try r.vocabulary()
            _ = try r.settings()
            let oob = Double(bitPattern: try r.u64())
            var importances: [Double] = []
            for _ in featureNames { importances.append(Double(bitPattern: try r.u64())) }
            return Header(classes: classes, featureNames: featureNames, featureImportances: importances,
                          oobScore: oob.isNaN ? nil : oob, checksum: String(format: "%016llx", checksum))
        } catch ByteReader.Truncated.truncated {
            throw r.corrupt("truncated")
        }
    }

    /// Everything between the version and the checksum.
    private static func decodeBody(_ r: inout ByteReader) throws -> RandomForest {
        do {
            let (classes, featureNames, edges) = try r.vocabulary()
            let settings = try r.settings()
            let oob = Double(bitPattern: try r.u64())
            var importances: [Double] = []
            for _ in featureNames { importances.append(Double(bitPattern: try r.u64())) }
            let treeCount = Int(try r.u32())
            guard treeCount > 0 else { throw r.corrupt("no trees") }
            var trees: [DecisionTree] = []
            trees.reserveCapacity(treeCount)
            var stack: [Int] = []
            for _ in 0..<treeCount {
                trees.append(try r.tree(classCount: classes.count, featureCount: featureNames.count, stack: &stack))
            }
            guard r.position == r.end else { throw r.corrupt("trailing bytes") }
            return RandomForest(classes: classes, featureNames: featureNames, binning: FeatureBinning(edges: edges),
                      trees: trees, featureImportances: importances, oobScore: oob.isNaN ? nil : oob,
                      settings: settings)
        } catch ByteReader.Truncated.truncated {
            throw r.corrupt("truncated")
        }
    }
}

extension ByteWriter {
    /// A tree's node count, then its nodes in preorder.
    mutating func tree(_ tree: DecisionTree, wideClasses wide: Bool) {
        u32(UInt32(tree.nodeCount))
        var stack = [0]
        while let node = stack.popLast() {
            let current = tree.nodes[node]
            if current.feature == DecisionTree.pureLeaf {
                bytes.append(DecisionTree.pureLeaf)
                small(Int(current.bin), wide: wide)
            } else if current.isLeaf {
                bytes.append(DecisionTree.leaf)
                let start = Int(current.child)
                u16(current.bin)
                for entry in tree.leafEntries[start..<start + Int(current.bin)] {
                    small(Int(entry.classIndex), wide: wide)
                    bytes.append(entry.share)
                }
            } else {
                bytes.append(current.feature)
                u16(current.bin)
                let left = Int(current.child)
                stack.append(left + 1)
                stack.append(left)
            }
        }
    }
}

extension ByteReader {
    func corrupt(_ what: String) -> MLError {
        MLError.invalidData("\(name) is a corrupt genre model (\(what)); train it again with `moosic train genres`")
    }

    /// The class names, the feature names and each feature's bin edges.
    mutating func vocabulary() throws -> (classes: [String], features: [String], edges: [[Float]]) {
        let classCount = Int(try u32())
        guard classCount > 0, classCount <= Int(UInt16.max) else { throw corrupt("bad class count") }
        var classes: [String] = []
        for _ in 0..<classCount { classes.append(try string()) }
        let featureCount = Int(try u32())
        guard featureCount > 0, featureCount < Int(DecisionTree.pureLeaf) else { throw corrupt("bad feature count") }
        var featureNames: [String] = []
        for _ in 0..<featureCount { featureNames.append(try string()) }
        var edges: [[Float]] = []
        for _ in 0..<featureCount {
            let count = Int(try u16())
            guard count < FeatureBinning.maximumBins else { throw corrupt("too many bins") }
            var e: [Float] = []
            for _ in 0..<count { e.append(Float(bitPattern: try u32())) }
            edges.append(e)
        }
        return (classes, featureNames, edges)
    }

    mutating func settings() throws -> RandomForestSettings {
        var settings = RandomForestSettings()
        settings.trees = Int(try u32())
        let depth = Int32(bitPattern: try u32())
        settings.maxDepth = depth < 0 ? nil : Int(depth)
        settings.minSamplesLeaf = Int(try u32())
        let maxFeatures = Int32(bitPattern: try u32())
        settings.maxFeatures = maxFeatures < 0 ? nil : Int(maxFeatures)
        settings.seed = try u64()
        return settings
    }

    /// A tree written by `ByteWriter.tree`: the child links follow from the preorder. The shipped
    /// forest has ~8 million nodes and every run loads it, so this loop reads through a raw pointer
    /// with one bounds check per field and fills the node array in place (`stack` is reused across trees).
    mutating func tree(classCount: Int, featureCount: Int, stack: inout [Int]) throws -> DecisionTree {
        let wide = classCount > 256
        let nodeCount = Int(try u32())
        // Every node takes at least 2 bytes: a larger count cannot be real.
        guard nodeCount > 0, nodeCount <= (end - position) / 2 + 1 else { throw corrupt("bad node count") }
        var leafEntries: [DecisionTree.LeafEntry] = []
        var failure: String?
        var consumed = 0
        let nodes = try [DecisionTree.Node](unsafeUninitializedCapacity: nodeCount) { nodes, initialized in
            try bytes.withUnsafeBufferPointer { all in
                let base = all.baseAddress!
                var p = position
                let end = self.end
                var allocated = 1
                stack.removeAll(keepingCapacity: true)
                stack.append(0)
                // Nodes are written once each, in preorder; anything left unwritten is caught by the count check.
                func byte() throws -> Int {
                    guard p < end else { throw Truncated.truncated }
                    defer { p += 1 }
                    return Int(base[p])
                }
                func word() throws -> Int {
                    guard p + 2 <= end else { throw Truncated.truncated }
                    defer { p += 2 }
                    return Int(base[p]) | Int(base[p + 1]) << 8
                }
                while let node = stack.popLast() {
                    let tag = try byte()
                    if tag == Int(DecisionTree.pureLeaf) {
                        let k = wide ? try word() : try byte()
                        guard k < classCount else { failure = "class out of range"; return }
                        nodes[node] = DecisionTree.Node(feature: DecisionTree.pureLeaf, bin: UInt16(k), child: 0)
                    } else if tag == Int(DecisionTree.leaf) {
                        let entries = try word()
                        guard entries > 1 else { failure = "leaf with \(entries) entries"; return }
                        nodes[node] = DecisionTree.Node(feature: DecisionTree.leaf, bin: UInt16(entries),
                                                        child: UInt32(leafEntries.count))
                        for _ in 0..<entries {
                            let k = wide ? try word() : try byte()
                            let share = try byte()
                            guard k < classCount, share > 0 else { failure = "bad leaf entry"; return }
                            leafEntries.append(DecisionTree.LeafEntry(classIndex: UInt16(k), share: UInt8(share)))
                        }
                    } else {
                        guard tag < featureCount, allocated + 2 <= nodeCount else { failure = "bad node"; return }
                        nodes[node] = DecisionTree.Node(feature: UInt8(tag), bin: UInt16(try word()), child: UInt32(allocated))
                        stack.append(allocated + 1)
                        stack.append(allocated)
                        allocated += 2
                    }
                }
                guard allocated == nodeCount else { failure = "node count mismatch"; return }
                consumed = p - position
            }
            // Only a complete tree is handed out; otherwise the nodes are plain values, nothing to release.
            initialized = failure == nil ? nodeCount : 0
        }
        if let failure { throw corrupt(failure) }
        position += consumed
        return DecisionTree(nodes: nodes, leafEntries: leafEntries)
    }
}

/// FNV-1a of all but the last 8 bytes, computed on another thread; `value()` waits for it.
private final class ChecksumTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: UInt64 = 0

    init(_ bytes: [UInt8]) {
        DispatchQueue.global().async { [self] in
            result = bytes.withUnsafeBufferPointer { b in
                var hash = FNV1a()
                hash.combine(UnsafeBufferPointer(rebasing: b[0..<(b.count - 8)]))
                return hash.value
            }
            done.signal()
        }
    }

    func value() -> UInt64 {
        done.wait()
        done.signal()
        return result
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
    mutating func small(_ v: Int, wide: Bool) { if wide { u16(UInt16(v)) } else { bytes.append(UInt8(v)) } }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8.prefix(Int(UInt16.max)))
        u16(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

private struct ByteReader {
    enum Truncated: Error { case truncated }

    let bytes: [UInt8]
    var position: Int
    var end: Int
    /// The file's name, for messages.
    let name: String

    init(bytes: [UInt8], position: Int, name: String) {
        self.bytes = bytes
        self.position = position
        self.name = name
        end = bytes.count
    }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count <= end - position else { throw Truncated.truncated }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// A little-endian integer of `size` bytes.
    @inline(__always)
    private mutating func integer(_ size: Int) throws -> UInt64 {
        guard size <= end - position else { throw Truncated.truncated }
        var value: UInt64 = 0
        for k in 0..<size { value |= UInt64(bytes[position + k]) << UInt64(8 * k) }
        position += size
        return value
    }

    mutating func u8() throws -> UInt8 { UInt8(try integer(1)) }
    mutating func u16() throws -> UInt16 { UInt16(try integer(2)) }
    mutating func u32() throws -> UInt32 { UInt32(try integer(4)) }
    mutating func u64() throws -> UInt64 { try integer(8) }
    mutating func small(wide: Bool) throws -> Int { wide ? Int(try u16()) : Int(try u8()) }
    mutating func string() throws -> String {
        let count = Int(try u16())
        return String(decoding: try take(count), as: UTF8.self)
    }
}
