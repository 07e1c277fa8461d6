/// Labelled rows, what both learners train on: `rows × columns` features, row-major, a class
/// index per row and, optionally, a group per row. Rows of one group (one song under several ids
/// or genres) are kept together: in the network's early-stopping split, and in the forest's
/// out-of-bag score, where a row counts only for trees that saw no row of its group.
public struct Dataset: Sendable, Equatable {
    public var features: [Float]
    public var labels: [Int]
    public let columns: Int
    public var groups: [Int]?

    public var rows: Int { labels.count }

    public init(features: [Float], labels: [Int], columns: Int, groups: [Int]? = nil) {
        precondition(features.count == labels.count * columns, "features are not rows × columns")
        precondition(groups.map { $0.count == labels.count } ?? true, "not one group per row")
        self.features = features
        self.labels = labels
        self.columns = columns
        self.groups = groups
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var kept = [Float]()
        kept.reserveCapacity(indices.count * columns)
        for i in indices { kept.append(contentsOf: features[(i * columns)..<((i + 1) * columns)]) }
        return Dataset(features: kept, labels: indices.map { labels[$0] }, columns: columns,
                       groups: groups.map { groups in indices.map { groups[$0] } })
    }
}
