import Foundation
import MoosicML

/// How good a playlist is, measured against what it was asked to be.
public struct PlaylistQuality: Sendable, Equatable, Codable {
    /// Jensen–Shannon divergence (base 2, in [0, 1]) between the playlist's genres and the profile.
    public var genreDivergence: Double
    /// Mean |emotion − target| over the picks.
    public var meanEmotionError: Double
    /// Mean |energy − energy target| over the picks.
    public var meanArousalError: Double
    /// Smoothness: mean |Δ emotion| and |Δ energy| between neighbouring songs (the transition
    /// measure of Schweiger, Parada-Cabaleiro and Schedl, EPJ Data Science 2025): lower is smoother.
    public var emotionStep: Double
    public var arousalStep: Double
    public var distinctArtists: Int
    /// Share of picks the user does not already have.
    public var newToUser: Double
    public var tracks: Int

    enum CodingKeys: String, CodingKey {
        case genreDivergence = "genre_jsd"
        case meanEmotionError = "mean_emotion_error"
        case meanArousalError = "mean_energy_error"
        case emotionStep = "emotion_step"
        case arousalStep = "energy_step"
        case distinctArtists = "distinct_artists"
        case newToUser = "new_to_user"
        case tracks
    }

    public static func measure(_ picks: [RankedPick], profile: GenreProfile) -> PlaylistQuality {
        guard !picks.isEmpty else {
            return PlaylistQuality(genreDivergence: 1, meanEmotionError: 0, meanArousalError: 0, emotionStep: 0, arousalStep: 0,
                                   distinctArtists: 0, newToUser: 0, tracks: 0)
        }
        var counts: [String: Double] = [:]
        for pick in picks { counts[pick.candidate.genre, default: 0] += 1 }
        let playlist = counts.mapValues { $0 / Double(picks.count) }
        let reference = Dictionary(profile.shares.map { ($0.genre, $0.share) }, uniquingKeysWith: +)
        let artists = Set(picks.flatMap { Ranker.artistNames($0.candidate.artists) })
        return PlaylistQuality(
            genreDivergence: jensenShannon(playlist, reference),
            meanEmotionError: picks.reduce(0) { $0 + abs($1.candidate.emotion - $1.target) } / Double(picks.count),
            meanArousalError: picks.reduce(0) { $0 + abs($1.candidate.arousal - $1.arousalTarget) } / Double(picks.count),
            emotionStep: meanStep(picks.map(\.candidate.emotion)),
            arousalStep: meanStep(picks.map(\.candidate.arousal)),
            distinctArtists: artists.count,
            newToUser: Double(picks.filter(\.isNewToUser).count) / Double(picks.count),
            tracks: picks.count)
    }

    /// Mean |x[i+1] − x[i]|; 0 for fewer than two values.
    public static func meanStep(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        return zip(values, values.dropFirst()).reduce(0) { $0 + abs($1.1 - $1.0) } / Double(values.count - 1)
    }

    /// JSD(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q), in bits.
    public static func jensenShannon(_ p: [String: Double], _ q: [String: Double]) -> Double {
        let keys = Set(p.keys).union(q.keys)
        var divergence = 0.0
        // In sorted order: a Set's order changes from run to run, and so would the last digit of the sum.
        for key in keys.sorted() {
            let a = p[key] ?? 0, b = q[key] ?? 0
            let m = (a + b) / 2
            if a > 0 { divergence += 0.5 * a * log2(a / m) }
            if b > 0 { divergence += 0.5 * b * log2(b / m) }
        }
        return max(0, min(1, divergence))
    }
}
