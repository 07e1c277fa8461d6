import Foundation
import MoosicML

/// How the playlist's emotion relates to the mood.
public enum RankingStrategy: String, Sendable, CaseIterable, Codable {
    /// Every pick aims at the mood score.
    case match
    /// Starts near the mood and rises across the playlist toward a happy target (the iso principle
    /// of music therapy: meet the listener where they are, then move them), so a sad listener is
    /// not handed thirty sad songs.
    case lift
}

/// A catalog song the ranker may pick, under one of its genres.
public struct RankingCandidate: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Artist names joined by ";".
    public var artists: String
    public var genre: String
    /// P(happy) from the song-emotion model.
    public var emotion: Double
    /// P(energetic) from the song-emotion model.
    public var arousal: Double
    public var popularity: Int
    /// TrackMatchKey of artist + title: the same song under another id has the same key.
    public var matchKey: String

    public init(id: String, name: String, artists: String, genre: String, emotion: Double, arousal: Double = 0.5,
                popularity: Int, matchKey: String? = nil) {
        self.id = id
        self.name = name
        self.artists = artists
        self.genre = genre
        self.emotion = emotion
        self.arousal = arousal
        self.popularity = popularity
        self.matchKey = matchKey ?? TrackMatchKey.make(artists: artists, name: name)
    }
}

/// What the ranker needs to know of the user's library: what they already have.
public struct LibraryIndex: Sendable {
    public var trackIDs: Set<String>
    public var matchKeys: Set<String>

    public init(tracks: [LibraryTrack]) {
        trackIDs = Set(tracks.map(\.id))
        matchKeys = Set(tracks.map { TrackMatchKey.make(artists: $0.artists, name: $0.name) })
    }

    public func contains(_ candidate: RankingCandidate) -> Bool {
        trackIDs.contains(candidate.id) || matchKeys.contains(candidate.matchKey)
    }
}

public struct RankingOptions: Sendable {
    public var size: Int
    public var strategy: RankingStrategy
    public var seed: UInt64
    /// Leave songs the user already has out of the playlist (the default): the point is discovery.
    public var excludeLibrary: Bool
    /// How many of the user's top genres the playlist draws from.
    public var maxGenres: Int
    public var maxTracksPerArtist: Int
    /// Where `lift` ends: the emotion it rises to (or the mood, when that is already higher).
    public var liftTarget: Double
    /// How much the distance to the energy target weighs against the distance to the emotion target
    /// (0: energy ignored). The mood is the point; energy keeps the songs like the listener's own.
    public var arousalWeight: Double
    /// `lift` moves the energy target at most this much from one song to the next.
    public var maxArousalStep: Double
    /// Songs moosic gave on this many last nights are not given again while the candidates allow
    /// (MOOSIC_FRESH_NIGHTS; 0: no freshness rule).
    public var freshNights: Int

    public init(size: Int = 30, strategy: RankingStrategy = .match, seed: UInt64 = 0, excludeLibrary: Bool = true,
                maxGenres: Int = 5, maxTracksPerArtist: Int = 2, liftTarget: Double = 0.85, arousalWeight: Double = 0.35,
                maxArousalStep: Double = 0.1, freshNights: Int = ListenerMemory.defaultFreshNights) {
        self.freshNights = freshNights
        self.arousalWeight = arousalWeight
        self.maxArousalStep = maxArousalStep
        self.size = size
        self.strategy = strategy
        self.seed = seed
        self.excludeLibrary = excludeLibrary
        self.maxGenres = maxGenres
        self.maxTracksPerArtist = maxTracksPerArtist
        self.liftTarget = liftTarget
    }
}

/// One song of the playlist, with why it is there.
public struct RankedPick: Sendable, Equatable {
    public var candidate: RankingCandidate
    /// The emotion this position aimed at.
    public var target: Double
    /// The energy (P(energetic)) this position aimed at.
    public var arousalTarget: Double
    /// 1 − the weighted distance to the two targets, plus the small popularity and seed terms that
    /// ordered the choice.
    public var score: Double
    public var reason: String
    public var isNewToUser: Bool
    /// When moosic last gave this song, if on one of the last fresh nights: the candidates ran out
    /// of songs not given lately (ListenerMemory.isRecent), and this was the one given longest ago.
    public var givenBefore: Date? = nil
}

/// The heuristic ranker of the Moo-Sic pipeline: pure and deterministic for a seed.
public enum Ranker {
    /// The emotion each position aims at.
    public static func targets(mood: Double, count: Int, strategy: RankingStrategy, liftTarget: Double) -> [Double] {
        guard count > 0 else { return [] }
        switch strategy {
        case .match:
            return Array(repeating: mood, count: count)
        case .lift:
            let end = max(mood, liftTarget)
            guard count > 1 else { return [mood] }
            return (0..<count).map { i in mood + (end - mood) * Double(i) / Double(count - 1) }
        }
    }

    /// How many picks each of the top genres gets: proportional to the profile, by largest
    /// remainder, over the genres that have candidates.
    public static func quotas(profile: GenreProfile, available: Set<String>, size: Int, maxGenres: Int) -> [(genre: String, count: Int)] {
        let top = Array(profile.shares.filter { available.contains($0.genre) }.prefix(maxGenres))
        let total = top.reduce(0) { $0 + $1.share }
        guard total > 0, size > 0 else { return [] }
        let exact = top.map { (genre: $0.genre, value: $0.share / total * Double(size)) }
        var counts = exact.map { (genre: $0.genre, count: Int($0.value.rounded(.down))) }
        let remainders = exact.enumerated().sorted { a, b in
            let ra = a.element.value - a.element.value.rounded(.down)
            let rb = b.element.value - b.element.value.rounded(.down)
            return ra != rb ? ra > rb : a.offset < b.offset
        }
        var missing = size - counts.reduce(0) { $0 + $1.count }
        for entry in remainders where missing > 0 {
            counts[entry.offset].count += 1
            missing -= 1
        }
        return counts.filter { $0.count > 0 }
    }

    /// Spreads genres over the positions in proportion to their quotas (smooth weighted round-robin),
    /// so the playlist alternates genres instead of playing them in blocks.
    static func genreSequence(_ quotas: [(genre: String, count: Int)]) -> [String] {
        let total = quotas.reduce(0) { $0 + $1.count }
        var current = Array(repeating: 0, count: quotas.count)
        var left = quotas.map(\.count)
        var sequence: [String] = []
        for _ in 0..<total {
            var best = -1
            for i in quotas.indices where left[i] > 0 {
                current[i] += quotas[i].count
                if best < 0 || current[i] > current[best] { best = i }
            }
            current[best] -= total
            left[best] -= 1
            sequence.append(quotas[best].genre)
        }
        return sequence
    }

    public static func rank(mood: Double, profile: GenreProfile, candidates: [RankingCandidate], library: LibraryIndex,
                            arousal: ListenerArousal = ListenerArousal(samples: []), memory: ListenerMemory = .none,
                            options: RankingOptions) -> [RankedPick] {
        var pool = options.excludeLibrary ? candidates.filter { !library.contains($0) } : candidates
        // A song the listener removed from moosic's playlist is never offered again.
        if memory.hasDislikes { pool.removeAll { memory.isDisliked($0) } }
        // Deterministic order whatever order the catalog query returned.
        pool.sort { $0.id != $1.id ? $0.id < $1.id : $0.genre < $1.genre }
        // Artist names are split once here, not at every position.
        var byGenre: [String: [(candidate: RankingCandidate, artists: [String])]] = [:]
        for candidate in pool { byGenre[candidate.genre, default: []].append((candidate, artistNames(candidate.artists))) }

        // Liked genres get a little more of the playlist; the reasons still quote the listener's own profile.
        let quotas = quotas(profile: memory.weighting(profile), available: Set(byGenre.keys), size: options.size,
                            maxGenres: options.maxGenres)
        let sequence = genreSequence(quotas)
        let targets = targets(mood: mood, count: sequence.count, strategy: options.strategy, liftTarget: options.liftTarget)
        let topGenrePool = quotas.flatMap { byGenre[$0.genre] ?? [] }
        // Each genre's energy anchor: the listener's own songs of it, else all their songs, else the
        // genre's typical song (the median of the catalog's candidates).
        var anchors: [String: Double] = [:]
        for (genre, _) in quotas {
            anchors[genre] = arousal.anchor(genre: genre)
                ?? ListenerArousal.median((byGenre[genre] ?? []).map(\.candidate.arousal)) ?? 0.5
        }

        var usedIDs = Set<String>()
        var usedKeys = Set<String>()
        var perArtist: [String: Int] = [:]
        var picks: [RankedPick] = []
        for (position, genre) in sequence.enumerated() {
            let target = targets[position]
            let anchor = anchors[genre] ?? 0.5
            let arousalTarget: Double
            switch options.strategy {
            case .match:
                arousalTarget = anchor
            case .lift:
                // From the last song toward the genre's anchor, a bounded step at a time.
                if let last = picks.last?.candidate.arousal {
                    arousalTarget = last + min(max(anchor - last, -options.maxArousalStep), options.maxArousalStep)
                } else {
                    arousalTarget = anchor
                }
            }
            // The genre's own candidates first; if they are used up, any of the top genres. A song
            // moosic gave on the last fresh nights carries a penalty (ListenerMemory.recencyPenalty):
            // it comes back only when no fresh song fits nearly as well, and then the one given
            // longest ago first.
            var best: (candidate: RankingCandidate, artists: [String], score: Double, given: Date?)?
            for entries in [byGenre[genre] ?? [], topGenrePool] {
                for (candidate, artists) in entries {
                    if usedIDs.contains(candidate.id) || usedKeys.contains(candidate.matchKey) { continue }
                    if artists.contains(where: { perArtist[$0, default: 0] >= options.maxTracksPerArtist }) { continue }
                    let given = memory.isRecent(candidate) ? memory.lastGiven(candidate) : nil
                    let score = pickScore(candidate, target: target, arousalTarget: arousalTarget,
                                          arousalWeight: options.arousalWeight, seed: options.seed)
                        + memory.artistAdjustment(artists) - (given.map(memory.recencyPenalty) ?? 0)
                    if let current = best, !isBetter(candidate, score, than: current.candidate, current.score) { continue }
                    best = (candidate, artists, score, given)
                }
                if best != nil { break }
            }
            guard let chosen = best else { break }
            usedIDs.insert(chosen.candidate.id)
            usedKeys.insert(chosen.candidate.matchKey)
            for artist in chosen.artists { perArtist[artist, default: 0] += 1 }
            picks.append(RankedPick(
                candidate: chosen.candidate, target: target, arousalTarget: arousalTarget, score: chosen.score,
                reason: reason(for: chosen.candidate, target: target, arousalTarget: arousalTarget, mood: mood,
                               position: position, strategy: options.strategy,
                               share: profile.share(of: chosen.candidate.genre), anchor: arousal.anchorSource(genre: chosen.candidate.genre)),
                isNewToUser: !library.contains(chosen.candidate), givenBefore: chosen.given))
        }
        return picks
    }

    /// Closeness to the two targets dominates; popularity and a per-seed jitter only separate songs
    /// of nearly the same emotion and energy (each is worth at most 0.02), so different seeds give
    /// different but equally fitting playlists.
    static func pickScore(_ candidate: RankingCandidate, target: Double, arousalTarget: Double, arousalWeight: Double,
                          seed: UInt64) -> Double {
        let distance = (1 - arousalWeight) * abs(candidate.emotion - target) + arousalWeight * abs(candidate.arousal - arousalTarget)
        let popularity = 0.02 * Double(candidate.popularity) / 100
        let jitter = 0.02 * unitHash(seed: seed, id: candidate.id)
        return 1 - distance + popularity + jitter
    }

    static func isBetter(_ a: RankingCandidate, _ scoreA: Double, than b: RankingCandidate, _ scoreB: Double) -> Bool {
        if scoreA != scoreB { return scoreA > scoreB }
        if a.popularity != b.popularity { return a.popularity > b.popularity }
        return a.id < b.id
    }

    static func artistNames(_ artists: String) -> [String] {
        artists.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// A value in [0, 1) from the seed and a track id (FNV-1a, then a SplitMix64 finaliser):
    /// stable across runs and platforms, unlike Swift's randomly seeded Hasher.
    static func unitHash(seed: UInt64, id: String) -> Double {
        Double(SplitMix64.mix(FNV1a.hash(id.utf8, seed: seed)) >> 11) / Double(1 << 53)
    }

    static func emotionWord(_ emotion: Double) -> String {
        switch emotion {
        case ..<0.35: return "sad-leaning"
        case ..<0.65: return "bittersweet"
        default: return "happy-leaning"
        }
    }

    static func arousalWord(_ arousal: Double) -> String {
        switch arousal {
        case ..<0.35: return "calm"
        case ..<0.65: return "mid-energy"
        default: return "energetic"
        }
    }

    static func reason(for candidate: RankingCandidate, target: Double, arousalTarget: Double, mood: Double, position: Int,
                       strategy: RankingStrategy, share: Double, anchor: ListenerArousal.AnchorSource) -> String {
        let percent = Int((share * 100).rounded())
        let what = "\(candidate.genre), \(emotionWord(candidate.emotion)) (emotion \(format(candidate.emotion))) and "
            + "\(arousalWord(candidate.arousal)) (energy \(format(candidate.arousal)))"
        let whose: String
        switch anchor {
        case .genre: whose = "your \(candidate.genre)"
        case .library: whose = "your songs"
        case .catalog: whose = "\(candidate.genre)"
        }
        let why: String
        switch strategy {
        case .match:
            why = "close to your mood \(format(mood)) and to the energy of \(whose), \(format(arousalTarget))"
        case .lift:
            why = position == 0
                ? "meets your mood \(format(mood)) at the energy of \(whose), \(format(arousalTarget))"
                : "step \(position + 1) on the way up to \(format(target)), energy \(format(arousalTarget)) one small step from the last song's"
        }
        return "\(what), \(why); \(candidate.genre) is \(percent) % of your listening"
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// How energetic the listener's own library is: the P(energetic) of their songs the catalog knows,
/// per catalog genre and overall. What keeps a sad metal listener on dark metal and a sad folk
/// listener on quiet folk: the mood moves the happy axis, this holds the energy axis.
public struct ListenerArousal: Sendable, Equatable {
    /// The median per genre, for genres with at least `minimumSongs` of the listener's songs.
    public var byGenre: [String: Double]
    /// The median over all their songs; nil without any.
    public var overall: Double?
    public var songs: Int

    public static let minimumSongs = 3

    /// `samples`: each library song the catalog has, its P(energetic) and its catalog genres.
    public init(samples: [(genres: [String], arousal: Double)]) {
        var values: [String: [Double]] = [:]
        for sample in samples { for genre in sample.genres { values[genre, default: []].append(sample.arousal) } }
        byGenre = values.filter { $0.value.count >= Self.minimumSongs }.compactMapValues(Self.median)
        overall = Self.median(samples.map(\.arousal))
        songs = samples.count
    }

    /// Where a pick of `genre` aims on the energy axis: the listener's own songs of the genre, else all of theirs.
    public func anchor(genre: String) -> Double? { byGenre[genre] ?? overall }

    /// Whose energy `anchor(genre:)` is, for the pick's reason (`catalog`: none of the listener's,
    /// the ranker falls back to the genre's median).
    public enum AnchorSource: Sendable { case genre, library, catalog }

    public func anchorSource(genre: String) -> AnchorSource {
        byGenre[genre] != nil ? .genre : overall != nil ? .library : .catalog
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
