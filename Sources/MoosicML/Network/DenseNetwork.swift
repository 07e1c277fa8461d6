import Foundation

/// A fully connected feed-forward network: ReLU hidden layers and a sigmoid (one unit, two
/// classes) or softmax (one unit per class) output. All weights and biases live in one flat
/// array, layer after layer, so optimisers and the model file treat them as one vector.
///
/// Layer `l` maps `sizes[l]` inputs to `sizes[l + 1]` outputs: its weights are a row-major
/// `sizes[l] × sizes[l + 1]` matrix (one row per input, so a forward pass adds whole contiguous
/// rows), followed by its `sizes[l + 1]` biases.
public struct DenseNetwork: Sendable, Equatable {
    public enum Output: String, Sendable, Codable {
        case sigmoid, softmax
    }

    public let sizes: [Int]
    public let output: Output
    public var parameters: [Float]
    let weightOffsets: [Int]
    let biasOffsets: [Int]

    public var inputCount: Int { sizes[0] }
    public var outputCount: Int { sizes[sizes.count - 1] }
    var layerCount: Int { sizes.count - 1 }
    /// The widest layer, which sizes the scratch buffers.
    var widest: Int { sizes.max() ?? 0 }

    public static func parameterCount(sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    /// A network with the given parameters; throws `invalidData` when they do not fit the shape.
    public init(sizes: [Int], output: Output, parameters: [Float]) throws {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else {
            throw MLError.invalidData("a network needs an input and an output layer of at least one unit each, got \(sizes)")
        }
        guard output == .softmax ? sizes.last! >= 2 : sizes.last! == 1 else {
            throw MLError.invalidData("a \(output.rawValue) output cannot have \(sizes.last!) unit(s)")
        }
        let expected = Self.parameterCount(sizes: sizes)
        guard parameters.count == expected else {
            throw MLError.invalidData("a network of layers \(sizes) has \(expected) parameters, got \(parameters.count)")
        }
        guard parameters.allSatisfy(\.isFinite) else {
            throw MLError.invalidData("the network has a parameter that is not a finite number")
        }
        self.sizes = sizes
        self.output = output
        self.parameters = parameters
        var w: [Int] = [], b: [Int] = []
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            w.append(offset)
            offset += sizes[l] * sizes[l + 1]
            b.append(offset)
            offset += sizes[l + 1]
        }
        weightOffsets = w
        biasOffsets = b
    }

    /// Glorot-uniform weights (bound √(6 / (fan-in + fan-out))) and zero biases.
    public init(sizes: [Int], output: Output, using generator: inout SeededRandom) throws {
        try self.init(sizes: sizes, output: output, parameters: [Float](repeating: 0, count: Self.parameterCount(sizes: sizes)))
        for l in 0..<layerCount {
            let bound = (6 / Float(sizes[l] + sizes[l + 1])).squareRoot()
            for i in weightOffsets[l]..<biasOffsets[l] {
                parameters[i] = generator.symmetric(bound)
            }
        }
    }

    public static func == (a: DenseNetwork, b: DenseNetwork) -> Bool {
        a.sizes == b.sizes && a.output == b.output && a.parameters == b.parameters
    }

    /// The probability of class 1 (sigmoid) or of each class (softmax) for every row of
    /// `inputs` (row-major, `inputCount` values a row), `outputCount` values a row.
    public func predict(_ inputs: [Float]) -> [Float] {
        precondition(inputs.count % inputCount == 0, "inputs are not whole rows")
        let rows = inputs.count / inputCount
        var result = [Float](repeating: 0, count: rows * outputCount)
        var workspace = ForwardWorkspace(network: self, batch: min(max(rows, 1), 1024))
        inputs.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { out in
                var start = 0
                while start < rows {
                    let n = min(workspace.batch, rows - start)
                    let final = workspace.forward(self, input.baseAddress! + start * inputCount, rows: n)
                    (out.baseAddress! + start * outputCount).update(from: final, count: n * outputCount)
                    start += n
                }
            }
        }
        return result
    }
}

/// Preallocated activations of every layer for up to `batch` rows, so that forward passes
/// allocate nothing.
struct ForwardWorkspace {
    let batch: Int
    /// activations[l] holds layer l's outputs (l = 0 is the first hidden layer).
    var activations: [UnsafeMutablePointer<Float>]
    private let owner: Buffers

    final class Buffers {
        let pointers: [UnsafeMutablePointer<Float>]
        init(_ counts: [Int]) {
            pointers = counts.map {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: $0)
                p.initialize(repeating: 0, count: $0)
                return p
            }
        }
        deinit { for p in pointers { p.deallocate() } }
    }

    init(network: DenseNetwork, batch: Int) {
        self.batch = batch
        owner = Buffers(network.sizes.dropFirst().map { $0 * batch })
        activations = owner.pointers
    }

    /// Runs `rows` (≤ batch) rows through the network; returns the output layer's activations.
    mutating func forward(_ network: DenseNetwork, _ input: UnsafePointer<Float>, rows: Int) -> UnsafeMutablePointer<Float> {
        network.parameters.withUnsafeBufferPointer { p in
            var x = input
            for l in 0..<network.layerCount {
                let nIn = network.sizes[l], nOut = network.sizes[l + 1]
                let out = activations[l]
                let w = p.baseAddress! + network.weightOffsets[l]
                let b = p.baseAddress! + network.biasOffsets[l]
                let isLast = l == network.layerCount - 1
                for r in 0..<rows {
                    let o = out + r * nOut
                    o.update(from: b, count: nOut)
                    let xr = x + r * nIn
                    for i in 0..<nIn {
                        let xi = xr[i]
                        // ReLU zeroes about half of every hidden layer: skip their rows.
                        if xi == 0 { continue }
                        let wi = w + i * nOut
                        for j in 0..<nOut { o[j] += xi * wi[j] }
                    }
                    if !isLast {
                        for j in 0..<nOut where o[j] < 0 { o[j] = 0 }
                    } else if network.output == .sigmoid {
                        o[0] = sigmoid(o[0])
                    } else {
                        softmax(o, count: nOut)
                    }
                }
                x = UnsafePointer(out)
            }
        }
        return activations[network.layerCount - 1]
    }
}

@inline(__always) func sigmoid(_ z: Float) -> Float {
    // Written to never evaluate exp of a large positive number.
    z >= 0 ? 1 / (1 + expf(-z)) : { let e = expf(z); return e / (1 + e) }()
}

@inline(__always) func softmax(_ o: UnsafeMutablePointer<Float>, count: Int) {
    var top = o[0]
    for j in 1..<count { top = max(top, o[j]) }
    var sum: Float = 0
    for j in 0..<count {
        o[j] = expf(o[j] - top)
        sum += o[j]
    }
    for j in 0..<count { o[j] /= sum }
}
