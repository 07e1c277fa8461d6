import Foundation
import MoosicML

/// The playlist's cover, drawn from what the playlist was made for — never from the photo:
/// - the background is a vertical gradient whose hue goes from deep blue (mood 0) to amber (mood 1);
/// - a ring in the middle shows the genre mix, one arc per genre (its share of the turn), each
///   genre's hue fixed by a hash of its name, so a genre keeps its colour from cover to cover;
/// - the date is a row of 16 squares at the bottom, most significant bit first: years since 2000
///   (7 bits), month (4), day (5); a filled square is a 1, a dim one a 0.
public enum CoverArt {
    public struct Pixels: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// RGB, 8 bits a channel, row after row.
        public var rgb: [UInt8]
    }

    public static let side = 320

    public static func render(mood: Double, genres: [GenreShare], date: Date, side: Int = CoverArt.side) -> Pixels {
        let mood = min(max(mood.isFinite ? mood : 0.5, 0), 1)
        let shares = normalised(genres)
        let hue = 220 - 175 * mood  // 220° blue … 45° amber
        let top = hsl(hue, 0.65, 0.30 + 0.30 * mood)
        let bottom = hsl(hue + 20, 0.70, 0.12 + 0.20 * mood)
        let bits = dateBits(date)
        let s = Double(side)
        let centre = s / 2, outer = 0.36 * s, inner = 0.22 * s
        let squares = 16, margin = 0.06 * s
        let cell = (s - 2 * margin) / Double(squares)
        let squareTop = s - margin - cell
        var rgb = [UInt8](repeating: 0, count: side * side * 3)
        for y in 0..<side {
            let fy = Double(y) + 0.5
            let t = fy / s
            let background = mix(top, bottom, t)
            for x in 0..<side {
                let fx = Double(x) + 0.5
                var colour = background
                let dx = fx - centre, dy = fy - centre * 0.92
                let r = (dx * dx + dy * dy).squareRoot()
                if r >= inner, r <= outer, !shares.isEmpty {
                    // Angle from 12 o'clock, clockwise, as a fraction of the turn.
                    var turn = atan2(dx, -dy) / (2 * .pi)
                    if turn < 0 { turn += 1 }
                    colour = genreColour(at: turn, shares: shares, mood: mood)
                } else if fy >= squareTop, fy < squareTop + cell, fx >= margin, fx < s - margin {
                    let index = Int((fx - margin) / cell)
                    let inSquare = (fx - margin) - Double(index) * cell
                    let inRow = fy - squareTop
                    if inSquare > cell * 0.15, inSquare < cell * 0.85, inRow > cell * 0.15, inRow < cell * 0.85 {
                        colour = bits[index] ? (0.95, 0.95, 0.92) : mix(background, (1, 1, 1), 0.15)
                    }
                }
                let i = (y * side + x) * 3
                rgb[i] = byte(colour.0)
                rgb[i + 1] = byte(colour.1)
                rgb[i + 2] = byte(colour.2)
            }
        }
        return Pixels(width: side, height: side, rgb: rgb)
    }

    /// The 16 bits of the date squares: years since 2000 (7), month (4), day (5), in UTC.
    public static func dateBits(_ date: Date) -> [Bool] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let value = (min(max((parts.year ?? 2000) - 2000, 0), 127) << 9) | ((parts.month ?? 1) << 5) | (parts.day ?? 1)
        return (0..<16).map { value & (1 << (15 - $0)) != 0 }
    }

    /// A genre's hue in degrees, fixed by its name.
    public static func hue(of genre: String) -> Double {
        Double(FNV1a.hash(Array(genre.utf8)) % 360)
    }

    static func normalised(_ genres: [GenreShare]) -> [GenreShare] {
        let positive = genres.filter { $0.share > 0 && $0.share.isFinite }
        let total = positive.reduce(0) { $0 + $1.share }
        return total > 0 ? positive.map { GenreShare(genre: $0.genre, share: $0.share / total) } : []
    }

    static func genreColour(at turn: Double, shares: [GenreShare], mood: Double) -> (Double, Double, Double) {
        var start = 0.0
        for share in shares {
            if turn < start + share.share || share == shares.last {
                return hsl(hue(of: share.genre), 0.70, 0.42 + 0.18 * mood)
            }
            start += share.share
        }
        return (0, 0, 0)
    }

    typealias RGB = (Double, Double, Double)

    static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }

    static func byte(_ value: Double) -> UInt8 { UInt8(min(max(value * 255, 0), 255).rounded()) }

    /// HSL (hue in degrees, saturation and lightness in [0, 1]) to RGB in [0, 1].
    static func hsl(_ hue: Double, _ saturation: Double, _ lightness: Double) -> RGB {
        let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let c = (1 - abs(2 * lightness - 1)) * saturation
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let m = lightness - c / 2
        let (r, g, b): RGB
        switch h {
        case ..<1: (r, g, b) = (c, x, 0)
        case ..<2: (r, g, b) = (x, c, 0)
        case ..<3: (r, g, b) = (0, c, x)
        case ..<4: (r, g, b) = (0, x, c)
        case ..<5: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        return (r + m, g + m, b + m)
    }
}

/// What became of a playlist's cover. Never an error: a cover that could not be made or sent is a note.
public struct CoverOutcome: Sendable, Equatable {
    /// The JPEG in MOOSIC_HOME (nil when it could not be written).
    public var path: String?
    /// Sent to Spotify (always false offline).
    public var uploaded: Bool
    public var note: String?

    public init(path: String?, uploaded: Bool, note: String?) {
        self.path = path
        self.uploaded = uploaded
        self.note = note
    }
}

/// Makes and sends the cover of a playlist just written.
public protocol PlaylistCovering: Sendable {
    func cover(user: String, playlist: PublishedPlaylist, mood: Double, genres: [GenreShare], date: Date) async -> CoverOutcome
}
