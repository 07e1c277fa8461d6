/// Metrics of a binary classifier: class 1 is the positive class, a score ≥ threshold predicts it.
public struct BinaryMetrics: Sendable, Equatable, Codable {
    public var n: Int
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Area under the ROC curve (ties count half); NaN-free: 0.5 when one class is missing.
    public var auc: Double
    /// [[true negatives, false positives], [false negatives, true positives]]
    public var confusion: [[Int]]

    public init(labels: [Int], scores: [Double], threshold: Double = 0.5) {
        precondition(labels.count == scores.count)
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (y, s) in zip(labels, scores) {
            switch (y == 1, s >= threshold) {
            case (true, true): tp += 1
            case (true, false): fn += 1
            case (false, true): fp += 1
            case (false, false): tn += 1
            }
        }
        n = labels.count
        accuracy = n == 0 ? 0 : Double(tp + tn) / Double(n)
        precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        confusion = [[tn, fp], [fn, tp]]
        auc = Self.rocAUC(labels: labels, scores: scores)
    }

    /// Mann–Whitney: the probability that a random positive outscores a random negative,
    /// from the rank sum of the positives with tied scores given their mean rank.
    public static func rocAUC(labels: [Int], scores: [Double]) -> Double {
        let positives = labels.filter { $0 == 1 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let meanRank = Double(i + j + 2) / 2
            for k in i...j where labels[order[k]] == 1 { rankSum += meanRank }
            i = j + 1
        }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// The mean of each metric over folds (the confusion matrices are summed).
    public static func mean(_ folds: [BinaryMetrics]) -> BinaryMetrics {
        var m = folds[0]
        let k = Double(folds.count)
        m.n = folds.reduce(0) { $0 + $1.n }
        m.accuracy = folds.reduce(0) { $0 + $1.accuracy } / k
        m.precision = folds.reduce(0) { $0 + $1.precision } / k
        m.recall = folds.reduce(0) { $0 + $1.recall } / k
        m.f1 = folds.reduce(0) { $0 + $1.f1 } / k
        m.auc = folds.reduce(0) { $0 + $1.auc } / k
        m.confusion = folds.dropFirst().reduce(folds[0].confusion) { sum, f in
            [[sum[0][0] + f.confusion[0][0], sum[0][1] + f.confusion[0][1]],
             [sum[1][0] + f.confusion[1][0], sum[1][1] + f.confusion[1][1]]]
        }
        return m
    }
}
