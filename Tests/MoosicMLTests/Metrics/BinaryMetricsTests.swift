import Testing
@testable import MoosicML
@testable import MoosicCore

@Suite struct BinaryMetricsTests {
    @Test func accuracyUsesScoreAtLeastHalfAsPositive() {
        #expect(BinaryMetrics.accuracy(scores: [0.5, 0.49, 0.9, 0.1], labels: [true, false, false, false]) == 0.75)
        #expect(BinaryMetrics.accuracy(scores: [], labels: []) == nil)
    }

    @Test func aucIsTheShareOfCorrectlyOrderedPairsWithTiesHalf() {
        #expect(BinaryMetrics.rocAUC(scores: [0.9, 0.8, 0.3, 0.1], labels: [true, true, false, false]) == 1)
        #expect(BinaryMetrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [true, true, false, false]) == 0)
        // Pairs (positive, negative): (0.8, 0.5) ✓, (0.8, 0.8) ½, (0.4, 0.5) ✗, (0.4, 0.8) ✗ → 1.5 / 4.
        #expect(BinaryMetrics.rocAUC(scores: [0.8, 0.4, 0.5, 0.8], labels: [true, true, false, false]) == 0.375)
        #expect(BinaryMetrics.rocAUC(scores: [0.2, 0.7], labels: [true, true]) == nil)
    }

    @Test func eceWeighsEachBinsGapByItsShare() {
        // Bin [0.9, 1]: mean 0.95, all positive → gap 0.05 (2 of 4). Bin [0.2, 0.3): mean 0.25,
        // one of two positive → gap 0.25 (2 of 4). ECE = 0.5·0.05 + 0.5·0.25 = 0.15.
        let ece = BinaryMetrics.expectedCalibrationError(scores: [0.9, 1.0, 0.2, 0.3 - 1e-9],
                                                         labels: [true, true, true, false])
        #expect(abs((ece ?? -1) - 0.15) < 1e-6)
        #expect(abs((BinaryMetrics.expectedCalibrationError(scores: [0.7, 0.7], labels: [true, false]) ?? -1) - 0.2) < 1e-12)
        #expect(BinaryMetrics.expectedCalibrationError(scores: [], labels: []) == nil)
    }
}
