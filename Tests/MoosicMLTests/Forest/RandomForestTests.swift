import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO

/// Rows with `features` values each: class k's first feature lies in [k, k + 0.4) on a grid of 50
/// values (the others are noise), so the classes are separable by thresholds on feature 0 alone.
func separableData(rows: Int, classes: Int, features: Int = 4, seed: UInt64) -> Dataset {
    var rng = SeededRandom(seed: seed)
    var x: [Float] = [], y: [Int] = []
    for i in 0..<rows {
        let k = i % classes
        x.append(Float(k) + Float(rng.below(50)) / 125)
        for _ in 1..<features { x.append(Float(rng.below(1000)) / 1000) }
        y.append(k)
    }
    return Dataset(features: x, labels: y, columns: features)
}

/// Two overlapping classes: the label is 1 when f0 + f1 + noise > 1, so no model is perfect.
func noisyData(rows: Int, seed: UInt64) -> Dataset {
    var rng = SeededRandom(seed: seed)
    var x: [Float] = [], y: [Int] = []
    for _ in 0..<rows {
        let a = Float(rng.below(10_000)) / 10_000, b = Float(rng.below(10_000)) / 10_000
        let noise = Float(rng.below(10_000)) / 10_000 - 0.5
        let c = Float(rng.below(10_000)) / 10_000
        x.append(contentsOf: [a, b, c])
        y.append(a + b + noise * 0.8 > 1 ? 1 : 0)
    }
    return Dataset(features: x, labels: y, columns: 3)
}

/// A forest over `data`, its classes named c0, c1, … and its features f0, f1, ….
func train(_ data: Dataset, _ settings: RandomForestSettings = RandomForestSettings()) throws -> RandomForest {
    try RandomForest.train(data, classes: (0...(data.labels.max() ?? 0)).map { "c\($0)" },
                           featureNames: (0..<data.columns).map { "f\($0)" }, settings: settings)
}

func accuracy(_ forest: RandomForest, _ data: Dataset) -> Double {
    let p = forest.probabilities(rows: data.features)
    let c = forest.classes.count
    var correct = 0
    for i in 0..<data.rows where argmax(Array(p[i * c..<(i + 1) * c])) == data.labels[i] { correct += 1 }
    return Double(correct) / Double(data.rows)
}

@Suite struct RandomForestTests {
    @Test func fitsASeparableSetPerfectly() throws {
        let training = separableData(rows: 600, classes: 4, seed: 1)
        let forest = try train(training, RandomForestSettings(trees: 20, seed: 3))
        #expect(accuracy(forest, training) == 1)
        #expect(accuracy(forest, separableData(rows: 400, classes: 4, seed: 2)) == 1)
        // Only feature 0 separates the classes.
        #expect(forest.featureImportances[0] > 0.9)
        #expect(abs(forest.featureImportances.reduce(0, +) - 1) < 1e-9)
    }

    @Test func probabilitiesSumToOne() throws {
        let data = noisyData(rows: 800, seed: 4)
        let forest = try train(data, RandomForestSettings(trees: 15, minSamplesLeaf: 3, seed: 5))
        let probe = noisyData(rows: 200, seed: 6)
        let p = forest.probabilities(rows: probe.features)
        #expect(p.count == 200 * 2)
        for i in 0..<200 {
            #expect(abs(p[2 * i] + p[2 * i + 1] - 1) < 1e-9)
            #expect(p[2 * i] >= 0 && p[2 * i + 1] >= 0)
        }
        // Uncertain rows get probabilities between 0 and 1, not just labels.
        #expect(p.contains { $0 > 0.2 && $0 < 0.8 })
        // A row's probabilities do not depend on the rows predicted with it.
        #expect(forest.probabilities(rows: Array(probe.features[0..<3]), threads: 1) == Array(p[0..<2]))
    }

    @Test func theSameSeedGivesTheSameForestWhateverTheThreads() throws {
        let data = noisyData(rows: 1000, seed: 7)
        let one = try train(data, RandomForestSettings(trees: 12, seed: 9, threads: 1))
        let two = try train(data, RandomForestSettings(trees: 12, seed: 9, threads: 2))
        #expect(one == two)
        let other = try train(data, RandomForestSettings(trees: 12, seed: 10, threads: 2))
        #expect(other.trees != one.trees)
    }

    @Test func saveThenLoadGivesTheSameForest() throws {
        let data = separableData(rows: 500, classes: 3, seed: 11)
        let forest = try train(data, RandomForestSettings(trees: 8, maxDepth: 6, minSamplesLeaf: 2, seed: 12))
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("m.rf")
        try forest.write(to: url)
        let loaded = try RandomForest.load(from: url)
        #expect(loaded == forest)
        #expect(loaded.probabilities(rows: data.features) == forest.probabilities(rows: data.features))
        #expect(loaded.settings.maxDepth == 6 && loaded.settings.minSamplesLeaf == 2)
    }

    @Test func depthAndLeafSizeLimitsHold() throws {
        let data = noisyData(rows: 600, seed: 13)
        let shallow = try train(data, RandomForestSettings(trees: 5, maxDepth: 3, seed: 1))
        for tree in shallow.trees { #expect(tree.nodeCount <= 15) }
        let full = try train(data, RandomForestSettings(trees: 5, seed: 1))
        let coarse = try train(data, RandomForestSettings(trees: 5, minSamplesLeaf: 20, seed: 1))
        #expect(coarse.nodeCount * 5 < full.nodeCount)
        // With 600 rows (≈ 380 distinct in a bootstrap) and ≥ 20 per leaf, a tree has ≤ 19 leaves.
        for tree in coarse.trees { #expect(tree.leafCount <= 19) }
    }

    @Test func outOfBagScoreIsCloseToHeldOutAccuracy() throws {
        let training = noisyData(rows: 3000, seed: 14)
        let forest = try train(training, RandomForestSettings(trees: 40, seed: 15))
        let heldOut = accuracy(forest, noisyData(rows: 3000, seed: 16))
        let oob = try #require(forest.oobScore)
        #expect(heldOut > 0.7 && heldOut < 0.95)
        #expect(abs(oob - heldOut) < 0.03)
    }

    @Test func refusesBadSettingsAndData() {
        let data = noisyData(rows: 50, seed: 1)
        #expect(throws: MLError.invalidSettings("trees, leaf size, features and threads must be positive, depth not negative")) {
            try train(data, RandomForestSettings(trees: 0))
        }
        #expect(throws: MLError.invalidSettings("trees, leaf size, features and threads must be positive, depth not negative")) {
            try train(data, RandomForestSettings(minSamplesLeaf: 0))
        }
        var bad = data
        bad.labels[0] = 7
        #expect(throws: MLError.invalidData("training labels must index 1 to 65535 classes")) {
            try RandomForest.train(bad, classes: ["no", "yes"], featureNames: ["a", "b", "c"])
        }
        #expect(throws: MLError.invalidData("no training rows")) {
            try RandomForest.train(data.subset([]), classes: ["no", "yes"], featureNames: ["a", "b", "c"])
        }
    }
}

@Suite struct RandomForestFileTests {
    let bytes: [UInt8]

    init() throws {
        let forest = try train(separableData(rows: 200, classes: 3, seed: 1),
                                RandomForestSettings(trees: 3, seed: 2))
        bytes = forest.encoded()
    }

    func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try RandomForest(encoded: bytes, name: "m.rf")
            return nil
        } catch let error as MLError {
            guard case .invalidData(let text) = error else { return "wrong case: \(error)" }
            return text
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func aFileOfAnotherKindIsNotAModel() {
        #expect(message(Array("track_id,artists\n".utf8))?.contains("not a moosic genre model") == true)
        #expect(message([])?.contains("not a moosic genre model") == true)
    }

    @Test func aFlippedByteIsCorrupt() {
        for position in [12, bytes.count / 2, bytes.count - 9, bytes.count - 1] {
            var damaged = bytes
            damaged[position] ^= 0x40
            #expect(message(damaged)?.contains("corrupt") == true, "byte \(position)")
        }
    }

    @Test func aTruncatedFileIsCorrupt() {
        #expect(message(Array(bytes.prefix(bytes.count - 100)))?.contains("corrupt") == true)
        #expect(message(Array(bytes.prefix(14)))?.contains("corrupt") == true)
    }

    @Test func anotherFormatVersionIsNamed() {
        var newer = bytes
        newer[8] = 2
        #expect(message(newer)?.contains("format version 2") == true)
    }

    @Test func aMissingFileIsFileMissing() {
        #expect(throws: MoosicError.fileMissing(path: "/nonexistent/m.rf")) {
            try RandomForest.load(from: URL(fileURLWithPath: "/nonexistent/m.rf"))
        }
    }
}

@Suite struct ShippedGenreModelTests {
    @Test func theShippedModelLoadsAndKnowsEveryGenre() throws {
        let url = repositoryRoot.appendingPathComponent("Models/genre_forest.rf")
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? .max
        #expect(size < 25_000_000)
        let model = try RandomForest.loadGenreModel(from: url)
        #expect(model.classes.count == 114)
        #expect(model.classes.contains("death-metal") && model.classes.contains("rock"))
        #expect(model.trees.count == 160)
        #expect(model.settings.minSamplesLeaf == 5)
        // Written again, the model is the shipped file byte for byte, its checksum included.
        #expect(model.encoded() == [UInt8](try Data(contentsOf: url)))
    }

    @Test func aModelOverOtherFeaturesIsNotAGenreModel() throws {
        let forest = try train(separableData(rows: 100, classes: 2, seed: 1),
                                RandomForestSettings(trees: 2, seed: 1))
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("other.rf")
        try forest.write(to: url)
        #expect(throws: MoosicError.invalidData("\(url.path) was trained on features f0,f1,f2,f3, not moosic's genre features danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo: train it again with `moosic train genres`")) {
            try RandomForest.loadGenreModel(from: url)
        }
        #expect(try RandomForest.load(from: url) == forest)
    }
}
