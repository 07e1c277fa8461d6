import Foundation
import MoosicML

/// A song moosic wrote into the listener's playlist on one run, as the store remembers it.
public struct GivenSong: Sendable, Equatable {
    /// The playlist run (`playlist_run.id`) that wrote it.
    public var runID: Int64
    public var givenAt: Date
    public var trackID: String
    public var name: String
    /// Artist names joined by ";".
    public var artists: String
    /// The genre the ranker picked it under.
    public var genre: String
    public var matchKey: String
    /// Whether it was new to the listener when given (not in their library then).
    public var newToUser: Bool

    public init(runID: Int64, givenAt: Date, trackID: String, name: String, artists: String, genre: String,
                matchKey: String? = nil, newToUser: Bool = true) {
        self.runID = runID
        self.givenAt = givenAt
        self.trackID = trackID
        self.name = name
        self.artists = artists
        self.genre = genre
        self.matchKey = matchKey ?? TrackMatchKey.make(artists: artists, name: name)
        self.newToUser = newToUser
    }
}

/// What the listener did with a song moosic gave them, as read from Spotify on a later run.
public struct FeedbackEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// Removed from moosic's playlist: a dislike. Never offered again; its artist counts a little less.
        case removed
        /// Saved to Liked Songs or added to one of their own playlists: a like. More from its artist and genre.
        case saved
    }

    public var kind: Kind
    public var song: GivenSong
    /// When moosic noticed it (the run that read the playlist).
    public var notedAt: Date

    public init(kind: Kind, song: GivenSong, notedAt: Date) {
        self.kind = kind
        self.song = song
        self.notedAt = notedAt
    }
}

/// What moosic remembers of a listener between nights, for the ranker: which songs it gave when
/// (freshness), which the listener removed (dislikes) and which they saved (likes). A plain value:
/// the store fills it, the ranker reads it.
public struct ListenerMemory: Sendable {
    /// `MOOSIC_FRESH_NIGHTS`: a song given on one of this many last nights is not given again while
    /// the candidates allow (0: no freshness rule).
    public static let defaultFreshNights = 7
    /// What a song given on one of the last fresh nights costs in the ranker's score (1 − the
    /// weighted distance to the emotion and energy targets): `recentBase` for one given at the edge
    /// of the window, rising by `recentSpan` to one given last night. A fresh song that fits within
    /// that much as well is always preferred, so the playlist rotates; a genre whose fitting songs
    /// have all been given lately gets some back, those given longest ago first, instead of songs
    /// that do not fit (docs/nightly.md: the week's figures with and without it).
    public static let recentBase = 0.03
    public static let recentSpan = 0.06
    /// How much one like or dislike moves a song's score (the score is 1 − the distance to the
    /// targets; popularity and the seed's jitter are worth at most 0.02 each). A dislike's artist
    /// loses this much per removed song, a like's artist gains it: enough to decide between songs of
    /// nearly the same fit, never enough to pick a song that does not fit.
    public static let artistStep = 0.02
    public static let artistCap = 0.04
    /// A liked genre's share of the profile is multiplied by (1 + genreStep) per liked song, at most
    /// by (1 + genreCap), then the profile is rescaled: one more song of it in thirty, not a new taste.
    public static let genreStep = 0.1
    public static let genreCap = 0.3

    public var now: Date
    public var freshNights: Int
    /// When moosic last gave each song, by track id and by match key (the same song under another id).
    private var lastGivenByID: [String: Date] = [:]
    private var lastGivenByKey: [String: Date] = [:]
    private var dislikedIDs: Set<String> = []
    private var dislikedKeys: Set<String> = []
    public private(set) var dislikedArtists: [String: Int] = [:]
    public private(set) var likedArtists: [String: Int] = [:]
    public private(set) var likedGenres: [String: Int] = [:]

    /// No memory: the ranker behaves as it did before moosic remembered anything.
    public static let none = ListenerMemory(now: Date(timeIntervalSince1970: 0), freshNights: 0, given: [], feedback: [])

    public init(now: Date, freshNights: Int, given: [GivenSong], feedback: [FeedbackEvent]) {
        self.now = now
        self.freshNights = freshNights
        for song in given {
            lastGivenByID[song.trackID] = max(lastGivenByID[song.trackID] ?? .distantPast, song.givenAt)
            lastGivenByKey[song.matchKey] = max(lastGivenByKey[song.matchKey] ?? .distantPast, song.givenAt)
        }
        for event in feedback {
            let artists = Ranker.artistNames(event.song.artists)
            switch event.kind {
            case .removed:
                dislikedIDs.insert(event.song.trackID)
                dislikedKeys.insert(event.song.matchKey)
                for artist in artists { dislikedArtists[artist, default: 0] += 1 }
            case .saved:
                for artist in artists { likedArtists[artist, default: 0] += 1 }
                likedGenres[event.song.genre, default: 0] += 1
            }
        }
    }

    public var hasDislikes: Bool { !dislikedIDs.isEmpty }

    public func isDisliked(_ candidate: RankingCandidate) -> Bool {
        dislikedIDs.contains(candidate.id) || dislikedKeys.contains(candidate.matchKey)
    }

    /// When moosic last gave this song (by id or by match key), if it ever did.
    public func lastGiven(_ candidate: RankingCandidate) -> Date? {
        switch (lastGivenByID[candidate.id], lastGivenByKey[candidate.matchKey]) {
        case let (a?, b?): return max(a, b)
        case let (a?, nil): return a
        case let (nil, b?): return b
        case (nil, nil): return nil
        }
    }

    /// Whether the song was given on one of the last `freshNights` nights. A night is counted from
    /// half a day before, so a cron run a few minutes later or earlier than the last one sees the
    /// same nights (night 8 still avoids night 1's songs, given 7 × 24 h before, not night 0's).
    public func isRecent(_ candidate: RankingCandidate) -> Bool {
        guard freshNights > 0, let given = lastGiven(candidate) else { return false }
        return now.timeIntervalSince(given) < (Double(freshNights) + 0.5) * 86400
    }

    /// The score penalty of a song last given at `given` (within the fresh nights).
    public func recencyPenalty(_ given: Date) -> Double {
        let window = (Double(freshNights) + 0.5) * 86400
        let left = max(0, min(1, 1 - now.timeIntervalSince(given) / window))
        return Self.recentBase + Self.recentSpan * left
    }

    /// The score change for a song by these artists (lower-cased names, as Ranker.artistNames gives
    /// them): liked artists up, disliked ones down, each capped.
    public func artistAdjustment(_ artists: [String]) -> Double {
        guard !likedArtists.isEmpty || !dislikedArtists.isEmpty else { return 0 }
        let likes = artists.reduce(0) { $0 + (likedArtists[$1] ?? 0) }
        let dislikes = artists.reduce(0) { $0 + (dislikedArtists[$1] ?? 0) }
        return min(Double(likes) * Self.artistStep, Self.artistCap) - min(Double(dislikes) * Self.artistStep, Self.artistCap)
    }

    /// The profile the quotas are drawn from: each liked genre's share raised a little, then rescaled to sum to 1.
    public func weighting(_ profile: GenreProfile) -> GenreProfile {
        guard !likedGenres.isEmpty else { return profile }
        var weighted = profile
        let shares = profile.shares.map { share -> GenreShare in
            let boost = 1 + min(Double(likedGenres[share.genre] ?? 0) * Self.genreStep, Self.genreCap)
            return GenreShare(genre: share.genre, share: share.share * boost)
        }
        let total = shares.reduce(0) { $0 + $1.share }
        guard total > 0 else { return profile }
        weighted.shares = shares.map { GenreShare(genre: $0.genre, share: $0.share / total) }
            .enumerated().sorted { $0.element.share != $1.element.share ? $0.element.share > $1.element.share : $0.offset < $1.offset }
            .map(\.element)
        return weighted
    }
}
