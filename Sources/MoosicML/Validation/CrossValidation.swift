/// k-fold cross-validation folds that keep groups together (rows of one group — the same song
/// under several ids or genres — never straddle two folds) and balance the classes.
public enum CrossValidation {
    /// The fold (0..<k) of every row. Groups are shuffled with `seed`, then dealt class by class
    /// (a group's class is its first row's) to the fold that has the fewest rows of that class.
    public static func folds(labels: [Int], groups: [Int], k: Int, seed: UInt64) -> [Int] {
        precondition(labels.count == groups.count && k >= 2)
        var members: [Int: [Int]] = [:]
        var firstSeen: [Int] = []
        for (row, group) in groups.enumerated() {
            if members[group] == nil { firstSeen.append(group) }
            members[group, default: []].append(row)
        }
        var generator = SeededGenerator(seed: seed)
        firstSeen.shuffle(using: &generator)
        var fold = [Int](repeating: 0, count: labels.count)
        var counts: [Int: [Int]] = [:]
        for group in firstSeen {
            let rows = members[group]!
            let label = labels[rows[0]]
            var perFold = counts[label] ?? [Int](repeating: 0, count: k)
            let target = perFold.indices.min { perFold[$0] < perFold[$1] }!
            for row in rows { fold[row] = target }
            perFold[target] += rows.count
            counts[label] = perFold
        }
        return fold
    }
}
