import Foundation

/// Platt scaling: P = σ(a·z + b) over a classifier's logit z, fitted by Newton's method on the
/// log-loss of held-out scores (scores the classifier was not trained on, or the map learns its
/// over-confidence). a > 1 sharpens an under-confident score, a < 1 softens an over-confident one.
public struct PlattScaling: Sendable, Equatable, Codable {
    public var a: Double
    public var b: Double

    public static let identity = PlattScaling(a: 1, b: 0)

    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// Fits (a, b) to `logits` and their 0/1 `labels`; a tiny ridge keeps it finite when the two
    /// classes separate perfectly.
    public init(fittingLogits logits: [Double], labels: [Int], ridge: Double = 1e-3) throws {
        guard logits.count == labels.count, Set(labels) == [0, 1] else {
            throw MLError.invalidData("Platt scaling needs held-out scores of both classes")
        }
        var a = 1.0, b = 0.0
        for _ in 0..<100 {
            var ga = ridge * (a - 1), gb = 0.0
            var haa = ridge, hab = 0.0, hbb = 1e-9
            for (z, y) in zip(logits, labels) {
                let p = Self.sigmoid(a * z + b)
                let r = p - Double(y)
                let w = max(p * (1 - p), 1e-12)
                ga += r * z; gb += r
                haa += w * z * z; hab += w * z; hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 0 else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            a -= da; b -= db
            if abs(da) < 1e-10 && abs(db) < 1e-10 { break }
        }
        guard a.isFinite, b.isFinite else { throw MLError.invalidData("Platt scaling did not converge") }
        self.a = a
        self.b = b
    }

    public func callAsFunction(logit z: Double) -> Double { Self.sigmoid(a * z + b) }

    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// log(p / (1 − p)), with p kept inside [1e-6, 1 − 1e-6] so a saturated output stays finite.
    public static func logit(_ p: Double) -> Double {
        let q = min(max(p, 1e-6), 1 - 1e-6)
        return log(q / (1 - q))
    }
}

/// Multinomial logistic regression: softmax(W·x + c) over a few inputs, fitted by full-batch
/// gradient descent on the cross-entropy with a small L2 on W. What places a song in one of the four
/// moods from its two logits (happy, energetic).
public struct MultinomialLogistic: Sendable, Equatable, Codable {
    /// classes × inputs, row-major.
    public var weights: [Double]
    public var biases: [Double]
    public var inputs: Int

    public var classes: Int { biases.count }

    public init(weights: [Double], biases: [Double], inputs: Int) throws {
        guard inputs > 0, !biases.isEmpty, weights.count == biases.count * inputs,
              (weights + biases).allSatisfy(\.isFinite) else {
            throw MLError.invalidData("a multinomial logistic model needs classes × inputs finite weights")
        }
        self.weights = weights
        self.biases = biases
        self.inputs = inputs
    }

    /// `x`: rows × inputs, row-major; `labels` in 0..<classes.
    public init(fitting x: [Double], labels: [Int], inputs: Int, classes: Int, l2: Double = 1e-3,
                iterations: Int = 3000, learningRate: Double = 0.5) throws {
        let rows = labels.count
        guard inputs > 0, classes >= 2, rows > 0, x.count == rows * inputs,
              labels.allSatisfy({ (0..<classes).contains($0) }) else {
            throw MLError.invalidData("training needs rows × inputs values and labels in 0..<\(classes)")
        }
        // Inputs standardised for the descent, folded back into the weights at the end.
        var mean = [Double](repeating: 0, count: inputs), scale = [Double](repeating: 0, count: inputs)
        for r in 0..<rows { for i in 0..<inputs { mean[i] += x[r * inputs + i] / Double(rows) } }
        for r in 0..<rows { for i in 0..<inputs { scale[i] += pow(x[r * inputs + i] - mean[i], 2) / Double(rows) } }
        scale = scale.map { max($0.squareRoot(), 1e-9) }
        var w = [Double](repeating: 0, count: classes * inputs), c = [Double](repeating: 0, count: classes)
        var p = [Double](repeating: 0, count: classes)
        for _ in 0..<iterations {
            var gw = w.map { l2 * $0 }, gc = [Double](repeating: 0, count: classes)
            for r in 0..<rows {
                for k in 0..<classes {
                    var s = c[k]
                    for i in 0..<inputs { s += w[k * inputs + i] * (x[r * inputs + i] - mean[i]) / scale[i] }
                    p[k] = s
                }
                let top = p.max()!
                var sum = 0.0
                for k in 0..<classes { p[k] = exp(p[k] - top); sum += p[k] }
                for k in 0..<classes {
                    let e = (p[k] / sum - (labels[r] == k ? 1 : 0)) / Double(rows)
                    gc[k] += e
                    for i in 0..<inputs { gw[k * inputs + i] += e * (x[r * inputs + i] - mean[i]) / scale[i] }
                }
            }
            for k in 0..<(classes * inputs) { w[k] -= learningRate * gw[k] }
            for k in 0..<classes { c[k] -= learningRate * gc[k] }
        }
        var weights = [Double](repeating: 0, count: classes * inputs)
        var biases = c
        for k in 0..<classes {
            for i in 0..<inputs {
                weights[k * inputs + i] = w[k * inputs + i] / scale[i]
                biases[k] -= w[k * inputs + i] * mean[i] / scale[i]
            }
        }
        try self.init(weights: weights, biases: biases, inputs: inputs)
    }

    /// The most probable class of one row.
    public func predict(_ row: [Double]) -> Int {
        precondition(row.count == inputs, "one value per input")
        var best = 0, bestScore = -Double.infinity
        for k in 0..<classes {
            var s = biases[k]
            for i in 0..<inputs { s += weights[k * inputs + i] * row[i] }
            if s > bestScore { bestScore = s; best = k }
        }
        return best
    }
}
