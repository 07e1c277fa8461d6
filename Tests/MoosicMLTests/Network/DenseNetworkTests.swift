import Foundation
import Testing
@testable import MoosicML
@testable import MoosicCore

@Suite struct DenseNetworkTests {
    /// A small random problem whose gradient is compared with central differences.
    func gradientCheck(output: DenseNetwork.Output, classes: Int, l2: Float) throws {
        var generator = SeededRandom(seed: 7)
        let sizes = [3, 5, 4, output == .sigmoid ? 1 : classes]
        var network = try DenseNetwork(sizes: sizes, output: output, using: &generator)
        // Non-zero biases, so ReLU units sit away from their kink at 0 (a step h that crosses
        // a kink makes the finite difference wrong, not the gradient).
        for l in 0..<network.layerCount {
            for k in network.biasOffsets[l]..<(network.biasOffsets[l] + sizes[l + 1]) {
                network.parameters[k] = generator.symmetric(0.3)
            }
        }
        let rows = 6
        let data = Dataset(features: (0..<(rows * 3)).map { _ in generator.symmetric(1) },
                                labels: (0..<rows).map { $0 % classes }, columns: 3)
        let (_, gradient) = NetworkTrainer.lossAndGradient(network, data, l2: l2)
        let h: Float = 1e-3
        var checked = 0
        for k in network.parameters.indices {
            var plus = network, minus = network
            plus.parameters[k] += h
            minus.parameters[k] -= h
            let numeric = (NetworkTrainer.lossAndGradient(plus, data, l2: l2).0
                - NetworkTrainer.lossAndGradient(minus, data, l2: l2).0) / (2 * h)
            #expect(abs(numeric - gradient[k]) <= 2e-3 + 2e-2 * abs(numeric),
                    "parameter \(k): analytic \(gradient[k]), numeric \(numeric)")
            checked += 1
        }
        #expect(checked == DenseNetwork.parameterCount(sizes: sizes))
    }

    @Test func sigmoidGradientMatchesFiniteDifferences() throws {
        try gradientCheck(output: .sigmoid, classes: 2, l2: 0.05)
    }

    @Test func softmaxGradientMatchesFiniteDifferences() throws {
        try gradientCheck(output: .softmax, classes: 3, l2: 0)
    }

    @Test(arguments: [TrainingSettings.Optimizer.adam, .sgd])
    func learnsXOR(optimizer: TrainingSettings.Optimizer) throws {
        let x: [Float] = [0, 0, 0, 1, 1, 0, 1, 1]
        let y = [0, 1, 1, 0]
        let data = Dataset(features: Array(repeating: x, count: 8).flatMap { $0 },
                                labels: Array(repeating: y, count: 8).flatMap { $0 }, columns: 2)
        let settings = TrainingSettings(hidden: [8], optimizer: optimizer, learningRate: optimizer == .adam ? 0.02 : 0.1,
                                        l2: 0, batchSize: 8, maxEpochs: 1500, patience: 1500, validationFraction: 0, seed: 3)
        let (network, _) = try NetworkTrainer.train(data, classes: 2, settings: settings)
        let p = network.predict(x)
        #expect(p[0] < 0.2 && p[3] < 0.2 && p[1] > 0.8 && p[2] > 0.8, "XOR outputs \(p)")
    }

    @Test func learnsALinearlySeparableSet() throws {
        var generator = SeededRandom(seed: 11)
        var features: [Float] = [], labels: [Int] = []
        for _ in 0..<300 {
            let a = generator.symmetric(1), b = generator.symmetric(1)
            if abs(a + b) < 0.1 { continue }
            features += [a, b]
            labels.append(a + b > 0 ? 1 : 0)
        }
        let data = Dataset(features: features, labels: labels, columns: 2)
        let (network, report) = try NetworkTrainer.train(data, classes: 2, settings: TrainingSettings(hidden: [4], seed: 5))
        let p = network.predict(features)
        let correct = zip(p, labels).filter { ($0 >= 0.5) == ($1 == 1) }.count
        #expect(correct == labels.count, "\(correct)/\(labels.count) after \(report.epochs) epochs")
    }

    @Test func equalSeedsGiveEqualNetworksAndOtherSeedsDiffer() throws {
        var generator = SeededRandom(seed: 1)
        let data = Dataset(features: (0..<80).map { _ in generator.unitFloat() },
                                labels: (0..<40).map { $0 % 2 }, columns: 2)
        let settings = TrainingSettings(hidden: [6], maxEpochs: 20, seed: 9)
        let a = try NetworkTrainer.train(data, classes: 2, settings: settings).0
        let b = try NetworkTrainer.train(data, classes: 2, settings: settings).0
        var other = settings
        other.seed = 10
        let c = try NetworkTrainer.train(data, classes: 2, settings: other).0
        #expect(a == b)
        #expect(a != c)
    }

    @Test func initialWeightsAreGlorotUniformFromTheSeededStream() throws {
        var generator = SeededRandom(seed: 3)
        let network = try DenseNetwork(sizes: [4, 2], output: .softmax, using: &generator)
        var replay = SeededRandom(seed: 3)
        let bound = (6 / Float(4 + 2)).squareRoot()
        #expect(Array(network.parameters[0..<8]) == (0..<8).map { _ in replay.symmetric(bound) })
        #expect(network.parameters[8...].allSatisfy { $0 == 0 }, "zero biases")
    }

    @Test func theEarlyStoppingSplitKeepsGroupsTogether() throws {
        // Copies of one row in both the training and the held-out part would make the held-out
        // loss follow the training loss; with groups, 40 distinct rows × 5 copies stay apart.
        var generator = SeededRandom(seed: 2)
        let base = (0..<80).map { _ in generator.unitFloat() }
        let features = (0..<5).flatMap { _ in base }
        let labels = (0..<5).flatMap { _ in (0..<40).map { $0 % 2 } }
        let settings = TrainingSettings(hidden: [4], maxEpochs: 5, validationFraction: 0.2, seed: 1)
        let grouped = Dataset(features: features, labels: labels, columns: 2, groups: (0..<200).map { $0 % 40 })
        let ungrouped = Dataset(features: features, labels: labels, columns: 2)
        let a = try NetworkTrainer.train(grouped, classes: 2, settings: settings)
        let b = try NetworkTrainer.train(ungrouped, classes: 2, settings: settings)
        #expect(a.0 != b.0, "the groups change the split, so the network")
        let held = CrossValidation.folds(groups: grouped.groups!, folds: 5, seed: settings.seed &+ 1)
        for g in 0..<40 { #expect(Set((0..<5).map { held[g + 40 * $0] }).count == 1) }
    }

    @Test func refusesParametersThatDoNotFitTheShape() {
        #expect(throws: MLError.invalidData("a network of layers [2, 3, 1] has 13 parameters, got 2")) {
            try DenseNetwork(sizes: [2, 3, 1], output: .sigmoid, parameters: [0, 1])
        }
        #expect(throws: MLError.invalidData("a sigmoid output cannot have 2 unit(s)")) {
            try DenseNetwork(sizes: [2, 2], output: .sigmoid, parameters: [Float](repeating: 0, count: 6))
        }
    }
}
