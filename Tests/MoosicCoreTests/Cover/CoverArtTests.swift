import Foundation
import Testing
@testable import MoosicCore

@Suite struct CoverArtTests {
    let date = Date(timeIntervalSince1970: 1_796_169_600)  // 2026-12-02 UTC
    let genres = [GenreShare(genre: "pop", share: 0.6), GenreShare(genre: "sad", share: 0.4)]

    func pixel(_ p: CoverArt.Pixels, _ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * p.width + x) * 3
        return Array(p.rgb[i..<i + 3])
    }

    @Test func theDateIsReadableFromTheSquares() {
        let bits = CoverArt.dateBits(date)
        let value = bits.reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        #expect(value >> 9 == 26 && (value >> 5) & 0xF == 12 && value & 0x1F == 2)
    }

    @Test func aHappyCoverIsWarmerAndLighterThanASadOne() {
        let happy = CoverArt.render(mood: 1, genres: genres, date: date)
        let sad = CoverArt.render(mood: 0, genres: genres, date: date)
        #expect(happy.rgb.count == CoverArt.side * CoverArt.side * 3)
        let h = pixel(happy, 5, 5), s = pixel(sad, 5, 5)
        #expect(h[0] > h[2] && s[2] > s[0])  // amber vs blue
        #expect(Int(h[0]) + Int(h[1]) + Int(h[2]) > Int(s[0]) + Int(s[1]) + Int(s[2]))
    }

    @Test func theRingFollowsTheGenreMix() {
        let a = CoverArt.render(mood: 0.5, genres: genres, date: date)
        let b = CoverArt.render(mood: 0.5, genres: [GenreShare(genre: "metal", share: 1)], date: date)
        // Just right of 12 o'clock on the ring: the first genre's arc.
        let x = CoverArt.side / 2 + 3, y = Int(Double(CoverArt.side) * 0.46 - 0.29 * Double(CoverArt.side))
        #expect(pixel(a, x, y) != pixel(b, x, y))
        #expect(CoverArt.hue(of: "pop") == CoverArt.hue(of: "pop"))
        // The same inputs make the same cover.
        #expect(CoverArt.render(mood: 0.5, genres: genres, date: date) == a)
    }
}
