import Testing
@testable import MoosicML
@testable import MoosicCore

@Suite struct MetricsTests {
    @Test func confusionPrecisionRecallAndF1() {
        let m = BinaryMetrics(labels: [1, 1, 1, 0, 0, 0, 0], scores: [0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4])
        #expect(m.confusion == [[3, 1], [1, 2]])
        #expect(m.accuracy == 5.0 / 7)
        #expect(m.precision == 2.0 / 3)
        #expect(m.recall == 2.0 / 3)
        #expect(abs(m.f1 - 2.0 / 3) < 1e-12)
    }

    @Test func aucCountsPairsAndTiesHalf() {
        #expect(BinaryMetrics.rocAUC(labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.3, 0.4]) == 1)
        #expect(BinaryMetrics.rocAUC(labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.3, 0.4]) == 0)
        // Pairs (p, n): (0.5, 0.5) tie = ½, (0.5, 0.1) = 1, (0.3, 0.5) = 0, (0.3, 0.1) = 1 → 2.5 / 4.
        #expect(BinaryMetrics.rocAUC(labels: [1, 1, 0, 0], scores: [0.5, 0.3, 0.5, 0.1]) == 0.625)
        #expect(BinaryMetrics.rocAUC(labels: [1, 1], scores: [0.5, 0.3]) == 0.5)
    }

    @Test func scalerMapsTrainingRangeToUnitIntervalAndClamps() throws {
        let scaler = try MinMaxScaler(fitting: [0, 10, 4, 30, 2, 20], columns: 2)
        var x: [Float] = [2, 20, 8, 0, 4, 30]
        scaler.transform(&x)
        #expect(x == [0.5, 0.5, 1, 0, 1, 1])
    }
}
