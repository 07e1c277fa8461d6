import Testing
@testable import MoosicML

@Suite struct FeatureBinningTests {
    @Test func binEdgesAreThresholds() {
        // 1013 distinct values: one bin each, edges halfway between neighbours.
        let values: [Float] = (0..<3000).map { Float(($0 * 7919) % 1013) / 10 }
        let binning = FeatureBinning(rows: values, count: values.count, features: 1)
        let edges = binning.edges[0]
        #expect(edges.count == 1012)
        #expect(edges[0] == 0.05)
        var agrees = true
        for x in Array(values.prefix(300)) + [-1, 0, 50.05, 1e6] {
            for b in stride(from: 0, to: edges.count, by: 7) where (x <= edges[b]) != (binning.bin(x, feature: 0) <= UInt16(b)) {
                agrees = false
            }
        }
        #expect(agrees)
        let few = FeatureBinning(rows: [3, 1, 2, 1], count: 4, features: 1)
        #expect(few.edges[0] == [1.5, 2.5])
    }

    @Test func edgesComeFromEachFeaturesDistinctValues() {
        // Two features, row-major: the first has the values 1, 2, 4 (1 twice), the second only 7.
        let binning = FeatureBinning(rows: [4, 7, 1, 7, 2, 7, 1, 7], count: 4, features: 2)
        #expect(binning.featureCount == 2)
        #expect(binning.edges == [[1.5, 3], []])
        // A constant feature has one bin, whatever the value.
        #expect(([-100, 7, 1e9] as [Float]).map { binning.bin($0, feature: 1) } == [0, 0, 0])
    }

    @Test func aValueOnAnEdgeIsInTheLowerBin() {
        let binning = FeatureBinning(edges: [[1, 2, 3]])
        #expect([0.5, 1, 1.5, 2, 3, 3.5].map { binning.bin($0, feature: 0) } == [0, 0, 1, 1, 2, 3])
        #expect(binning.bin(-.infinity, feature: 0) == 0 && binning.bin(.infinity, feature: 0) == 3)
        // The midpoint of two neighbouring floats is the lower one, so the upper stays in the upper bin.
        let one: Float = 1
        let neighbours = FeatureBinning(rows: [one, one.nextUp], count: 2, features: 1)
        #expect(neighbours.edges[0] == [one])
        #expect(neighbours.bin(one, feature: 0) == 0 && neighbours.bin(one.nextUp, feature: 0) == 1)
    }

    @Test func moreThan65536DistinctValuesGetQuantileEdges() {
        let count = 3 * 65_536
        let values = (0..<count).map { Float($0) }
        let binning = FeatureBinning(rows: values.reversed(), count: count, features: 1)
        let edges = binning.edges[0]
        #expect(edges.count == FeatureBinning.maximumBins - 1)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
        // Edge k sits between the values at the k/65,536 quantile: here between 3k − 1 and 3k.
        #expect(edges[0] == 2.5 && edges[1] == 5.5 && edges.last == Float(count - 3) - 0.5)
        // Every bin holds three values, so the bins still fit in a UInt16.
        #expect(binning.bin(0, feature: 0) == 0 && binning.bin(2, feature: 0) == 0 && binning.bin(3, feature: 0) == 1)
        #expect(binning.bin(Float(count - 1), feature: 0) == UInt16(FeatureBinning.maximumBins - 1))
    }

    @Test func quantileEdgesSkipRunsOfEqualValues() {
        // 70,000 distinct values, but half of all rows are 0: the quantiles inside that run give no edge.
        let distinct = (1...70_000).map { Float($0) }
        let values = distinct + [Float](repeating: 0, count: 70_000)
        let edges = FeatureBinning(rows: values, count: values.count, features: 1).edges[0]
        #expect(edges.first == 0.5)
        #expect(edges.count < FeatureBinning.maximumBins / 2 + 2)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func binColumnsIsFeatureMajor() {
        let binning = FeatureBinning(edges: [[0.5], [10, 20]])
        #expect(binning.binColumns(rows: [0, 5, 1, 15, 0, 25], count: 3) == [0, 1, 0, 0, 1, 2])
    }
}
