import Foundation
import MoosicML

/// Where the mood comes from on this run.
public enum MoodInput: Sendable {
    case photo(String)
    /// The latest stored photo mood (nightly refresh without a photo).
    case history
    /// A mood already read (the page's camera: several frames combined); stored as a photo mood
    /// when its playlist is written, not on a dry run.
    case measured(PhotoMood)
}

public struct RecommendRequest: Sendable {
    public var user: String
    public var mood: MoodInput
    public var options: RankingOptions
    public var dryRun: Bool

    public init(user: String, mood: MoodInput, options: RankingOptions, dryRun: Bool) {
        self.user = user
        self.mood = mood
        self.options = options
        self.dryRun = dryRun
    }
}

/// Everything a run produced: what `moosic recommend` prints and `--json` serialises.
public struct Recommendation: Sendable {
    public var user: String
    public var mood: Double
    public var moodSource: String
    public var photoMood: PhotoMood?
    /// The user's profile over every genre the model knows.
    public var profile: GenreProfile
    /// The profile over the genres the catalog has, rescaled to sum to 1: what the ranking used.
    public var rankedGenres: GenreProfile
    public var picks: [RankedPick]
    public var playlist: PublishedPlaylist?
    public var playlistName: String
    public var quality: PlaylistQuality
    public var sync: LibrarySyncSummary
    /// The playlist's cover (nil on a dry run or without a cover stage).
    public var cover: CoverOutcome?
    /// Things the user should know that are not errors (an old mood, a thin library).
    public var notes: [String]
    /// How the stored reading was aged (a run without a photo that had one).
    public var agedMood: AgeingMood? = nil
    /// What the listener did with earlier playlists, noticed on this run.
    public var feedback: [FeedbackEvent] = []
}

/// The Moo-Sic pipeline: mood → stored → library synced → genre profile → ranking → playlist written.
/// Each stage is behind a protocol, so the same code runs online, offline and in tests.
public struct RecommendPipeline: Sendable {
    public var catalog: any CatalogRepository
    public var listeners: any ListenerRepository
    public var moodReader: MoodReading
    public var librarySync: LibrarySyncing
    public var profiler: GenreProfiling
    public var publisher: PlaylistPublishing
    /// Makes and sends the playlist's cover after the write (nil: no cover).
    public var cover: PlaylistCovering?
    public var now: @Sendable () -> Date

    public static let neutralMood = AgeingMood.neutral
    public static let playlistName = "moosic: your mood mix"

    public init(catalog: any CatalogRepository, listeners: any ListenerRepository, moodReader: MoodReading, librarySync: LibrarySyncing, profiler: GenreProfiling,
                publisher: PlaylistPublishing, cover: PlaylistCovering? = nil, now: @escaping @Sendable () -> Date) {
        self.catalog = catalog
        self.listeners = listeners
        self.moodReader = moodReader
        self.librarySync = librarySync
        self.profiler = profiler
        self.publisher = publisher
        self.cover = cover
        self.now = now
    }

    public func run(_ request: RecommendRequest) async throws -> Recommendation {
        var notes: [String] = []
        let time = now()
        guard try catalog.hasCatalog() else {
            throw MoosicError.configuration("the catalog is empty: import one with `moosic catalog import <tracks.csv>`")
        }
        try listeners.ensureUser(request.user, displayName: nil, now: time)

        // 1. Mood: read before any network traffic, so a bad photo fails fast and changes nothing.
        let mood: Double
        let source: String
        var photoMood: PhotoMood?
        var storeMood = false
        var agedMood: AgeingMood?
        switch request.mood {
        case .photo(let path):
            let reading = try moodReader.readMood(photo: path)
            photoMood = reading
            mood = reading.score
            source = "photo"
            storeMood = true
        case .measured(let reading):
            photoMood = reading
            mood = reading.score
            source = "photo"
            storeMood = !request.dryRun
        case .history:
            source = "history"
            if let last = try listeners.latestPhotoMood(user: request.user) {
                // The reading ages toward the listener's usual mood (AgeingMood, docs/nightly.md).
                let aged = AgeingMood(latest: last, history: try listeners.photoMoods(user: request.user).map(\.score), now: time)
                agedMood = aged
                mood = aged.score
                if aged.weight == 0 {
                    notes.append("the latest mood is \(Int(aged.ageHours / 24)) days old; using \(aged.usualText) (run with --photo to update it)")
                }
            } else {
                mood = Self.neutralMood
                notes.append("no stored mood for \(request.user); using a neutral 0.5 (run with --photo once)")
            }
        }
        if storeMood { try listeners.recordMood(user: request.user, score: mood, source: source, at: time) }

        // 2. Library and profile.
        let sync = try await librarySync.syncLibrary(user: request.user)
        notes += sync.notes
        let library = try listeners.libraryTracks(user: request.user)
        let profile = try profiler.profile(of: library)
        if profile.coverage.counted == 0 {
            throw MoosicError.invalidData("none of \(request.user)'s \(library.count) library tracks is in the catalog, has audio features or has an artist the catalog knows, so there is no genre profile to rank by (import a larger catalog with `moosic catalog import`)")
        }

        // 3. Candidates and ranking, over the genres the catalog has.
        let available = try catalog.catalogGenres()
        let catalogProfile = profile.restricted(to: available)
        let topGenres = catalogProfile.shares.prefix(request.options.maxGenres).map(\.genre)
        let candidates = try catalog.rankingCandidates(genres: topGenres)
        if candidates.isEmpty {
            throw MoosicError.configuration("the catalog has no songs with an emotion score in \(topGenres.joined(separator: ", ")); import a catalog with the song-emotion model available")
        }
        // What the listener did with the last playlists (read by the sync above), then what moosic
        // remembers: the songs it gave lately, the removed ones, the saved ones.
        let libraryIndex = LibraryIndex(tracks: library)
        let (feedback, memory) = try readListener(user: request.user, library: libraryIndex, at: time,
                                                  freshNights: request.options.freshNights, record: !request.dryRun)
        let picks = Ranker.rank(mood: mood, profile: catalogProfile, candidates: candidates,
                                library: libraryIndex, arousal: try catalog.listenerArousal(of: library),
                                memory: memory, options: request.options)
        if picks.count < request.options.size {
            notes.append("only \(picks.count) of \(request.options.size) songs fit (the catalog is small for these genres)")
        }
        let ages = picks.compactMap(\.givenBefore).map { Int((time.timeIntervalSince($0) / 86400).rounded()) }
        if let newest = ages.min(), let oldest = ages.max() {
            let when = newest == oldest ? "\(oldest) day\(oldest == 1 ? "" : "s") ago" : "\(newest) to \(oldest) days ago"
            notes.append("\(ages.count) of \(picks.count) songs were given again from the last \(request.options.freshNights) nights "
                         + "(\(when)): too few other songs of your genres fit this mood; of songs that fit alike, those given longest ago come back first")
        }

        // 4. Write.
        var playlist: PublishedPlaylist?
        var coverOutcome: CoverOutcome?
        if !request.dryRun {
            let day = time.formatted(.iso8601.year().month().day())
            let age = agedMood.map { ", from a photo \($0.ageText) old" } ?? ""
            let description = "For a \(MoodLabel(score: mood).rawValue) mood (\(String(format: "%.2f", mood))\(age)), \(request.options.strategy.rawValue) strategy, \(day). Made by moosic."
            let uris = picks.map { SpotifyTrackURI(id: $0.candidate.id) }
            let published = try await publisher.write(user: request.user, name: Self.playlistName,
                                                      description: description, uris: uris, mood: mood)
            try listeners.annotateGeneratedPlaylist(user: request.user, picks: picks)
            playlist = published
            // The playlist is written: a cover that fails is a note, never a failed run.
            if let cover {
                let outcome = await cover.cover(user: request.user, playlist: published, mood: mood,
                                                genres: Array(catalogProfile.shares.prefix(request.options.maxGenres)), date: time)
                if let note = outcome.note { notes.append(note) }
                coverOutcome = outcome
            }
            try listeners.recordPlaylistRun(PlaylistRun(
                user: request.user, madeAt: time, mood: mood, moodSource: source, strategy: request.options.strategy,
                trackCount: published.trackCount, playlistID: published.id, playlistName: published.name,
                playlistURL: published.url, coverPath: coverOutcome?.path), picks: picks)
        }
        return Recommendation(user: request.user, mood: mood, moodSource: source, photoMood: photoMood, profile: profile, rankedGenres: catalogProfile,
                              picks: picks, playlist: playlist, playlistName: Self.playlistName,
                              quality: PlaylistQuality.measure(picks, profile: catalogProfile), sync: sync, cover: coverOutcome,
                              notes: notes, agedMood: agedMood, feedback: feedback)
    }

    /// Notices what the listener did since the last run (removed songs from moosic's playlist, saved
    /// songs it gave), stores it unless `record` is false, and returns it with the memory the ranker uses.
    func readListener(user: String, library: LibraryIndex, at time: Date, freshNights: Int,
                      record: Bool) throws -> (noticed: [FeedbackEvent], memory: ListenerMemory) {
        let given = try listeners.givenSongs(user: user)
        let known = try listeners.feedback(user: user)
        let unread = try listeners.unreadPlaylistRun(user: user)
        let playlistNow = try unread.flatMap {
            try listeners.syncedPlaylistItems(user: user, playlistID: $0.playlistID, readSince: $0.madeAt)
        }
        let noticed = ListenerFeedback.detect(lastRun: unread?.songs ?? [], playlistNow: playlistNow, given: given,
                                              library: library, known: known, at: time)
        if record, !noticed.isEmpty || playlistNow != nil {
            try listeners.recordFeedback(user: user, events: noticed, read: playlistNow != nil ? unread?.id : nil, at: time)
        }
        return (noticed, ListenerMemory(now: time, freshNights: freshNights, given: given, feedback: known + noticed))
    }
}
