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
