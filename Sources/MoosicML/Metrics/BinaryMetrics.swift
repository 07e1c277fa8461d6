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

    /// ROC AUC for 0/1 labels; 0.5 when one class is missing, so fold averages stay defined.
    public static func rocAUC(labels: [Int], scores: [Double]) -> Double {
        rocAUC(scores: scores, labels: labels.map { $0 == 1 }) ?? 0.5
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

/// The metrics one at a time, for a classifier that outputs P(positive); the same definitions as the
/// training scripts' (Scripts/face_mood/metrics.py), so the numbers can be compared.
extension BinaryMetrics {
    /// The share of examples whose prediction (score ≥ threshold) equals their label; nil when empty.
    public static func accuracy(scores: [Double], labels: [Bool], threshold: Double = 0.5) -> Double? {
        precondition(scores.count == labels.count, "one label per score")
        guard !scores.isEmpty else { return nil }
        let correct = zip(scores, labels).filter { ($0 >= threshold) == $1 }.count
        return Double(correct) / Double(scores.count)
    }

    /// ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores above a
    /// random negative, ties counting one half. Nil unless both classes are present.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "one label per score")
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumOfPositives = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1  // mean 1-based rank of the tied run
            for k in i...j where labels[order[k]] { rankSumOfPositives += rank }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSumOfPositives - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Expected calibration error: the scores fall into `bins` equal-width bins on [0, 1] (1.0 in the
    /// last); the mean over bins, weighted by their share of examples, of |mean score − share of
    /// positives|. Nil when empty.
    public static func expectedCalibrationError(scores: [Double], labels: [Bool], bins: Int = 10) -> Double? {
        precondition(scores.count == labels.count, "one label per score")
        precondition(bins > 0, "at least one bin")
        guard !scores.isEmpty else { return nil }
        var count = [Int](repeating: 0, count: bins)
        var scoreSum = [Double](repeating: 0, count: bins)
        var positiveCount = [Int](repeating: 0, count: bins)
        for (score, label) in zip(scores, labels) {
            let bin = min(max(Int(score * Double(bins)), 0), bins - 1)
            count[bin] += 1
            scoreSum[bin] += score
            if label { positiveCount[bin] += 1 }
        }
        var total = 0.0
        for bin in 0..<bins where count[bin] > 0 {
            let n = Double(count[bin])
            total += n * abs(scoreSum[bin] / n - Double(positiveCount[bin]) / n)
        }
        return total / Double(scores.count)
    }
}
