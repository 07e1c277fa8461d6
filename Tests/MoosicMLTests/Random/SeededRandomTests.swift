import Testing
@testable import MoosicML

/// The pinned values were computed by an independent implementation (a few lines of Python) of
/// the published algorithms: a change here changes every seeded model, fold and playlist.
@Suite struct SeededRandomTests {
    @Test func theStreamOfASeedIsPinned() {
        var rng = SeededRandom(seed: 42)
        #expect((0..<4).map { _ in rng.next() }
            == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1])
        var stream = SeededRandom(seed: 42, stream: 3)
        #expect([stream.next(), stream.next()] == [0x3CF8_60AF_930C_C916, 0x1CE8_FD05_1379_4C95])
    }

    @Test func boundedDrawsAndShufflesArePinned() {
        var rng = SeededRandom(seed: 1)
        #expect((0..<8).map { _ in rng.below(10) } == [7, 5, 5, 3, 6, 1, 0, 3])
        var shuffler = SeededRandom(seed: 5)
        var values = Array(0..<8)
        shuffler.shuffle(&values)
        #expect(values == [0, 1, 5, 7, 6, 3, 4, 2])
    }

    @Test func unitFloatsAreTheTop24BitsOfADraw() {
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        for _ in 0..<1000 {
            let u = a.unitFloat()
            #expect(u == Float(b.next() >> 40) / 16_777_216)
            #expect(u >= 0 && u < 1)
        }
        var c = SeededRandom(seed: 9), d = SeededRandom(seed: 9)
        #expect(c.symmetric(0.5) == 0.5 * (2 * d.unitFloat() - 1))
    }

    @Test func splitMix64IsPinned() {
        var generator = SplitMix64(state: 7)
        #expect([generator.next(), generator.next(), generator.next()]
            == [0x63CB_E1E4_5932_0DD7, 0x044C_3CD7_F43C_661C, 0xE698_4080_BAB1_2A02])
    }

    @Test func fnv1aGivesThePublishedTestVectors() {
        #expect(FNV1a.hash([UInt8]()) == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a.hash("a".utf8) == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a.hash("foobar".utf8) == 0x8594_4171_F739_67E8)
        var pieces = FNV1a()
        pieces.combine("foo".utf8)
        pieces.combine("bar".utf8)
        #expect(pieces.value == FNV1a.hash("foobar".utf8))
        var integer = FNV1a()
        integer.combine(littleEndian: UInt16(0x6261))
        #expect(integer.value == FNV1a.hash("ab".utf8))
    }
}
