/// Metrics of a binary classifier that outputs P(positive); the same definitions as the training
/// scripts' (Scripts/face_mood/metrics.py), so the numbers can be compared.
public enum BinaryMetrics {
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
