import MoosicML

/// How well a genre model labels held-out rows.
public struct GenreMetrics: Sendable, Equatable, Codable {
    public var n: Int
    public var accuracy: Double
    /// Mean F1 over the genres that occur among the true or the predicted labels.
    public var macroF1: Double
    /// Share of rows whose genre is among the model's 5 most probable.
    public var top5: Double

    enum CodingKeys: String, CodingKey {
        case n, accuracy, top5
        case macroF1 = "macro_f1"
    }

    public init(n: Int, accuracy: Double, macroF1: Double, top5: Double) {
        self.n = n
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.top5 = top5
    }

    /// The mean of each metric over folds, with `n` their total.
    public static func mean(_ folds: [GenreMetrics]) -> GenreMetrics {
        func mean(_ metric: (GenreMetrics) -> Double) -> Double {
            folds.map(metric).reduce(0, +) / Double(folds.count)
        }
        return GenreMetrics(n: folds.reduce(0) { $0 + $1.n }, accuracy: mean(\.accuracy), macroF1: mean(\.macroF1),
                            top5: mean(\.top5))
    }

    /// Metrics from row-major probabilities (`labels.count × classCount`).
    public init(probabilities: [Double], labels: [Int], classCount c: Int) {
        let n = labels.count
        var correct = 0, inTop5 = 0
        var truePositive = [Int](repeating: 0, count: c)
        var predicted = [Int](repeating: 0, count: c)
        var actual = [Int](repeating: 0, count: c)
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let row = UnsafeBufferPointer(rebasing: p[i * c..<(i + 1) * c])
                let guess = argmax(row)
                let label = labels[i]
                predicted[guess] += 1
                actual[label] += 1
                if guess == label { correct += 1; truePositive[label] += 1 }
                // Rank of the true class: classes more probable than it (ties to the lower index).
                var above = 0
                for k in 0..<c where row[k] > row[label] || (row[k] == row[label] && k < label) { above += 1 }
                if above < 5 { inTop5 += 1 }
            }
        }
        var f1Sum = 0.0, f1Classes = 0
        for k in 0..<c where predicted[k] + actual[k] > 0 {
            f1Sum += 2 * Double(truePositive[k]) / Double(predicted[k] + actual[k])
            f1Classes += 1
        }
        self.init(n: n, accuracy: n == 0 ? 0 : Double(correct) / Double(n),
                  macroF1: f1Classes == 0 ? 0 : f1Sum / Double(f1Classes),
                  top5: n == 0 ? 0 : Double(inTop5) / Double(n))
    }
}
