import Foundation

/// How a `DenseNetwork` is trained.
public struct TrainingSettings: Sendable, Codable, Equatable {
    public enum Optimizer: String, Sendable, Codable, CaseIterable {
        /// Mini-batch stochastic gradient descent with (heavy-ball) momentum.
        case sgd
        /// Adam (Kingma & Ba 2015) with β₁ 0.9, β₂ 0.999, ε 1e-8.
        case adam
    }

    public var hidden: [Int]
    public var optimizer: Optimizer
    public var learningRate: Float
    /// Momentum of `sgd` (ignored by Adam).
    public var momentum: Float
    /// L2 penalty: the loss adds l2/2 · Σw² over the weights (not the biases).
    public var l2: Float
    public var batchSize: Int
    public var maxEpochs: Int
    /// Training stops when the validation loss has not improved by `tolerance` for this many
    /// epochs; the weights of the best epoch are kept.
    public var patience: Int
    public var tolerance: Float
    /// The share of the training rows held out for early stopping (0: no early stopping).
    public var validationFraction: Double
    /// Seeds initialisation, shuffling and the early-stopping split: equal seeds, equal networks.
    public var seed: UInt64

    public init(hidden: [Int] = [64, 32], optimizer: Optimizer = .adam, learningRate: Float = 0.001,
                momentum: Float = 0.9, l2: Float = 1e-4, batchSize: Int = 32, maxEpochs: Int = 400,
                patience: Int = 20, tolerance: Float = 1e-4, validationFraction: Double = 0.1, seed: UInt64 = 42) {
        self.hidden = hidden
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.momentum = momentum
        self.l2 = l2
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.tolerance = tolerance
        self.validationFraction = validationFraction
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case hidden, optimizer, momentum, l2, patience, tolerance, seed
        case learningRate = "learning_rate", batchSize = "batch_size", maxEpochs = "max_epochs"
        case validationFraction = "validation_fraction"
    }

    func validate() throws {
        guard hidden.allSatisfy({ $0 > 0 }) else { throw MLError.invalidSettings("hidden layer sizes must be positive, got \(hidden)") }
        guard learningRate > 0, learningRate.isFinite else { throw MLError.invalidSettings("the learning rate must be positive") }
        guard l2 >= 0, (0..<1).contains(momentum) else { throw MLError.invalidSettings("l2 must be ≥ 0 and momentum in [0, 1)") }
        guard batchSize > 0, maxEpochs > 0, patience > 0 else {
            throw MLError.invalidSettings("batch size, epochs and patience must be positive")
        }
        guard (0..<1).contains(validationFraction) else { throw MLError.invalidSettings("the validation fraction must be in [0, 1)") }
    }
}

/// What a training run did.
public struct TrainingReport: Sendable, Equatable {
    public var epochs: Int
    public var bestEpoch: Int
    /// The early-stopping loss of the best epoch (the training loss when there is no validation set).
    public var bestLoss: Float
}

/// Trains a `DenseNetwork` with mini-batch SGD (momentum) or Adam on a cross-entropy loss plus an
/// L2 penalty, with early stopping on a validation set. Every buffer is allocated once before
/// the first epoch: the training loop itself allocates nothing.
public enum NetworkTrainer {
    /// Trains on `data` (classes 0..<classes; two classes give one sigmoid output). When
    /// `settings.validationFraction` > 0, about that share of `data` (fold 0 of
    /// `CrossValidation`'s, by `data.groups` when given, else row by row) is held out for early stopping.
    public static func train(_ data: Dataset, classes: Int, settings: TrainingSettings) throws -> (DenseNetwork, TrainingReport) {
        try settings.validate()
        guard classes >= 2 else { throw MLError.invalidData("training needs at least two classes") }
        guard data.rows > 0, data.labels.allSatisfy({ (0..<classes).contains($0) }) else {
            throw MLError.invalidData("training needs rows labelled 0..<\(classes)")
        }
        return try train(data, classes: classes, targets: classes == 2 ? data.labels.map(Float.init) : nil, settings: settings)
    }

    /// Trains one sigmoid output on soft targets in [0, 1] (one per row of `data`, whose labels are
    /// then used for nothing but the early-stopping split's groups): binary cross-entropy against
    /// a probability, for an ordinal scale such as calm 0 … energetic 1.
    public static func train(_ data: Dataset, softTargets: [Float], settings: TrainingSettings) throws -> (DenseNetwork, TrainingReport) {
        try settings.validate()
        guard data.rows > 0, softTargets.count == data.rows, softTargets.allSatisfy({ (0...1).contains($0) }) else {
            throw MLError.invalidData("training needs one target in [0, 1] per row (\(data.rows) rows, \(softTargets.count) targets)")
        }
        return try train(data, classes: 2, targets: softTargets, settings: settings)
    }

    /// `targets`: the sigmoid output's target per row of `data` (nil for softmax, which uses the labels).
    private static func train(_ data: Dataset, classes: Int, targets: [Float]?, settings: TrainingSettings) throws -> (DenseNetwork, TrainingReport) {
        var generator = SeededRandom(seed: settings.seed)
        var train = data
        var trainTargets = targets
        var held: Dataset?
        var heldTargets = targets
        if settings.validationFraction > 0 {
            let folds = CrossValidation.folds(groups: data.groups ?? Array(0..<data.rows),
                                              folds: max(2, Int((1 / settings.validationFraction).rounded())),
                                              seed: settings.seed &+ 1)
            let inHeld = folds.indices.filter { folds[$0] == 0 }
            let inTrain = folds.indices.filter { folds[$0] != 0 }
            if !inHeld.isEmpty, !inTrain.isEmpty {
                held = data.subset(inHeld)
                train = data.subset(inTrain)
                heldTargets = targets.map { t in inHeld.map { t[$0] } }
                trainTargets = targets.map { t in inTrain.map { t[$0] } }
            }
        }
        let sizes = [data.columns] + settings.hidden + [classes == 2 ? 1 : classes]
        var network = try DenseNetwork(sizes: sizes, output: classes == 2 ? .sigmoid : .softmax, using: &generator)
        var state = TrainingState(network: network, batch: min(settings.batchSize, train.rows))
        var optimizer = OptimizerState(count: network.parameters.count, settings: settings)
        var order = Array(0..<train.rows)
        var best = network.parameters
        var bestLoss = Float.infinity
        var bestEpoch = 0
        var epoch = 0
        var evaluation = TrainingState(network: network, batch: 256)
        while epoch < settings.maxEpochs {
            epoch += 1
            generator.shuffle(&order)
            var trainingLoss: Float = 0
            var start = 0
            while start < train.rows {
                let n = min(state.batch, train.rows - start)
                state.gather(train, targets: trainTargets, order: order, from: start, count: n)
                trainingLoss += state.lossAndGradient(network, rows: n, l2: settings.l2) * Float(n)
                optimizer.step(&network.parameters, gradient: state.gradient)
                start += n
            }
            let loss: Float
            if let held {
                loss = evaluation.loss(network, held, targets: heldTargets)
            } else {
                loss = trainingLoss / Float(train.rows)
            }
            guard loss.isFinite else {
                throw MLError.invalidData("training diverged (loss \(loss) at epoch \(epoch)); lower the learning rate")
            }
            if loss < bestLoss - settings.tolerance {
                bestLoss = loss
                bestEpoch = epoch
                best = network.parameters
            } else if epoch - bestEpoch >= settings.patience {
                break
            }
        }
        network.parameters = best
        return (network, TrainingReport(epochs: epoch, bestEpoch: bestEpoch, bestLoss: bestLoss))
    }

    /// The mean loss (cross-entropy + l2/2 · Σw²) of `network` on `data` and its gradient with
    /// respect to every parameter (what the finite-difference test checks).
    static func lossAndGradient(_ network: DenseNetwork, _ data: Dataset, l2: Float) -> (Float, [Float]) {
        var state = TrainingState(network: network, batch: data.rows)
        state.gather(data, targets: network.output == .sigmoid ? data.labels.map(Float.init) : nil,
                     order: Array(0..<data.rows), from: 0, count: data.rows)
        let loss = state.lossAndGradient(network, rows: data.rows, l2: l2)
        return (loss, Array(UnsafeBufferPointer(start: state.gradient, count: network.parameters.count)))
    }
}

/// Buffers of one training run: a batch of inputs and targets, the forward activations, the
/// back-propagated errors and the gradient.
struct TrainingState {
    let batch: Int
    let columns: Int
    var forward: ForwardWorkspace
    let input: UnsafeMutablePointer<Float>
    let labels: UnsafeMutablePointer<Int>
    /// The sigmoid output's target of each row of the batch (0/1 labels or soft targets).
    let targets: UnsafeMutablePointer<Float>
    /// deltas[l]: ∂loss/∂(pre-activation) of layer l's outputs.
    let deltas: [UnsafeMutablePointer<Float>]
    let gradient: UnsafeMutablePointer<Float>
    private let owner: Owner

    final class Owner {
        var floats: [UnsafeMutablePointer<Float>] = []
        var ints: UnsafeMutablePointer<Int>?
        deinit {
            for p in floats { p.deallocate() }
            ints?.deallocate()
        }
        func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            floats.append(p)
            return p
        }
    }

    init(network: DenseNetwork, batch: Int) {
        let batch = max(batch, 1)
        self.batch = batch
        columns = network.inputCount
        forward = ForwardWorkspace(network: network, batch: batch)
        let owner = Owner()
        input = owner.floats(batch * network.inputCount)
        let ints = UnsafeMutablePointer<Int>.allocate(capacity: batch)
        ints.initialize(repeating: 0, count: batch)
        owner.ints = ints
        labels = ints
        targets = owner.floats(batch)
        deltas = network.sizes.dropFirst().map { owner.floats($0 * batch) }
        gradient = owner.floats(network.parameters.count)
        self.owner = owner
    }

    /// Copies rows order[from ..< from + count] of `data` (and their sigmoid targets) into the batch buffers.
    mutating func gather(_ data: Dataset, targets rowTargets: [Float]?, order: [Int], from: Int, count: Int) {
        data.features.withUnsafeBufferPointer { f in
            for r in 0..<count {
                let row = order[from + r]
                (input + r * columns).update(from: f.baseAddress! + row * columns, count: columns)
                labels[r] = data.labels[row]
                targets[r] = rowTargets?[row] ?? 0
            }
        }
    }

    /// Mean loss of `network` on the gathered rows; leaves its gradient in `gradient`.
    mutating func lossAndGradient(_ network: DenseNetwork, rows: Int, l2: Float) -> Float {
        let output = forward.forward(network, input, rows: rows)
        let last = network.layerCount - 1
        let nOut = network.outputCount
        let invRows = 1 / Float(rows)
        var loss: Float = 0
        // Sigmoid + binary cross-entropy and softmax + cross-entropy share the output error p − y.
        let top = deltas[last]
        for r in 0..<rows {
            let y = labels[r]
            if network.output == .sigmoid {
                let p = output[r], t = targets[r]
                // Binary cross-entropy against a probability t; for t = 1 or 0 only one term is left.
                if t > 0 { loss -= t * logf(max(p, 1e-7)) }
                if t < 1 { loss -= (1 - t) * logf(max(1 - p, 1e-7)) }
                top[r] = p - t
            } else {
                for j in 0..<nOut {
                    let p = output[r * nOut + j]
                    top[r * nOut + j] = p - (j == y ? 1 : 0)
                }
                loss -= logf(max(output[r * nOut + y], 1e-7))
            }
        }
        loss *= invRows
        network.parameters.withUnsafeBufferPointer { p in
            for l in stride(from: last, through: 0, by: -1) {
                let nIn = network.sizes[l], nOut = network.sizes[l + 1]
                let w = p.baseAddress! + network.weightOffsets[l]
                let gw = gradient + network.weightOffsets[l]
                let gb = gradient + network.biasOffsets[l]
                let x: UnsafePointer<Float> = l == 0 ? UnsafePointer(input) : UnsafePointer(forward.activations[l - 1])
                let d = deltas[l]
                // Weight gradient: the L2 term, then Σ_rows x_i · δ_j / rows, a row of W at a time.
                for k in 0..<(nIn * nOut) { gw[k] = l2 * w[k] }
                for j in 0..<nOut { gb[j] = 0 }
                for r in 0..<rows {
                    let dr = d + r * nOut
                    for j in 0..<nOut { gb[j] += dr[j] * invRows }
                    let xr = x + r * nIn
                    for i in 0..<nIn {
                        let xi = xr[i] * invRows
                        if xi == 0 { continue }
                        let g = gw + i * nOut
                        for j in 0..<nOut { g[j] += xi * dr[j] }
                    }
                }
                if l > 0 {
                    // Error of the layer below: δ·Wᵀ, through ReLU (zero where the unit was off).
                    let below = deltas[l - 1]
                    for r in 0..<rows {
                        let dr = d + r * nOut
                        let xr = x + r * nIn
                        let br = below + r * nIn
                        for i in 0..<nIn {
                            if xr[i] <= 0 { br[i] = 0; continue }
                            let wi = w + i * nOut
                            var s0: Float = 0, s1: Float = 0
                            var j = 0
                            while j + 1 < nOut {
                                s0 += dr[j] * wi[j]
                                s1 += dr[j + 1] * wi[j + 1]
                                j += 2
                            }
                            if j < nOut { s0 += dr[j] * wi[j] }
                            br[i] = s0 + s1
                        }
                    }
                }
                if l2 > 0 {
                    var squares: Float = 0
                    for k in 0..<(nIn * nOut) { squares += w[k] * w[k] }
                    loss += 0.5 * l2 * squares
                }
            }
        }
        return loss
    }

    /// Mean cross-entropy of `network` on all of `data`, `batch` rows at a time.
    mutating func loss(_ network: DenseNetwork, _ data: Dataset, targets rowTargets: [Float]?) -> Float {
        var total: Double = 0
        var start = 0
        let order = Array(0..<data.rows)
        while start < data.rows {
            let n = min(batch, data.rows - start)
            gather(data, targets: rowTargets, order: order, from: start, count: n)
            let output = forward.forward(network, input, rows: n)
            let nOut = network.outputCount
            for r in 0..<n {
                if network.output == .sigmoid {
                    let p = output[r], t = targets[r]
                    if t > 0 { total -= Double(t * logf(max(p, 1e-7))) }
                    if t < 1 { total -= Double((1 - t) * logf(max(1 - p, 1e-7))) }
                } else {
                    total -= Double(logf(max(output[r * nOut + labels[r]], 1e-7)))
                }
            }
            start += n
        }
        return Float(total / Double(max(data.rows, 1)))
    }
}

/// Momentum or Adam state over the flat parameter vector.
struct OptimizerState {
    let settings: TrainingSettings
    var first: [Float]
    var second: [Float]
    var steps: Int = 0

    init(count: Int, settings: TrainingSettings) {
        self.settings = settings
        first = [Float](repeating: 0, count: count)
        second = settings.optimizer == .adam ? [Float](repeating: 0, count: count) : []
    }

    mutating func step(_ parameters: inout [Float], gradient: UnsafeMutablePointer<Float>) {
        steps += 1
        let lr = settings.learningRate
        let count = parameters.count
        switch settings.optimizer {
        case .sgd:
            let mu = settings.momentum
            parameters.withUnsafeMutableBufferPointer { p in
                first.withUnsafeMutableBufferPointer { v in
                    for k in 0..<count {
                        v[k] = mu * v[k] - lr * gradient[k]
                        p[k] = flushed(p[k] + v[k])
                    }
                }
            }
        case .adam:
            let b1: Float = 0.9, b2: Float = 0.999, eps: Float = 1e-8
            let t = Float(steps)
            // Bias corrections folded into the step size, as in the paper's section 2.
            let alpha = lr * (1 - powf(b2, t)).squareRoot() / (1 - powf(b1, t))
            parameters.withUnsafeMutableBufferPointer { p in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        for k in 0..<count {
                            let g = gradient[k]
                            m[k] = b1 * m[k] + (1 - b1) * g
                            v[k] = b2 * v[k] + (1 - b2) * g * g
                            p[k] = flushed(p[k] - alpha * m[k] / (v[k].squareRoot() + eps))
                        }
                    }
                }
            }
        }
    }
}

/// Zero for subnormal values: the weights of a unit that never fires decay towards zero under the
/// L2 penalty, and arithmetic on subnormals is many times slower on x86.
@inline(__always) func flushed(_ x: Float) -> Float {
    abs(x) < Float.leastNormalMagnitude ? 0 : x
}
