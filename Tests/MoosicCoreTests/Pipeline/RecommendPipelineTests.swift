import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// Stand-ins for the pipeline's stages, so these tests check the orchestration alone.
struct FixedMood: MoodReading {
    var score: Double
    func readMood(photo: String) throws -> PhotoMood {
        if photo.hasSuffix("broken.jpg") { throw MoosicError.invalidData("cannot use \(photo) as a photo") }
        return PhotoMood(score: score, facesFound: 1, face: FaceBox(x: 1, y: 2, w: 3, h: 4), milliseconds: 5)
    }
}

final class RecordingSync: LibrarySyncing, @unchecked Sendable {
    private(set) var calls = 0
    let tracks: [(id: String, name: String, artists: String)]
    let store: Store
    init(tracks: [(id: String, name: String, artists: String)], store: Store) { self.tracks = tracks; self.store = store }

    func syncLibrary(user: String) async throws -> LibrarySyncSummary {
        calls += 1
        try store.saveLibrary(SyncedLibrary(user: user, displayName: nil, syncedAt: Date(), playlists: [],
                                            liked: tracks.map { (LibraryTrack(id: $0.id, name: $0.name, artists: $0.artists), nil) }))
        return LibrarySyncSummary(playlists: 0, libraryTracks: tracks.count, requests: 0)
    }
}

struct FixedProfile: GenreProfiling {
    var shares: [(genre: String, share: Double)]
    func profile(of library: [LibraryTrack]) throws -> GenreProfile {
        GenreProfile(shares: shares.map { GenreShare(genre: $0.genre, share: $0.share) },
                     coverage: GenreProfile.Coverage(libraryTracks: library.count, withFeatures: library.count))
    }
}

/// The offline writer, recording what it was asked to write.
final class RecordingPublisher: PlaylistPublishing, @unchecked Sendable {
    private(set) var published: [[SpotifyTrackURI]] = []
    let store: Store
    init(store: Store) { self.store = store }
    func write(user: String, name: String, description: String, uris: [SpotifyTrackURI],
               mood: Double?) async throws -> PublishedPlaylist {
        published.append(uris)
        return try await LocalPlaylistWriter(repository: store).write(user: user, name: name, description: description,
                                                                      uris: uris, mood: mood)
    }
}

@Suite struct RecommendPipelineTests {
    let store: Store
    let sync: RecordingSync
    let publisher: RecordingPublisher

    init() throws {
        store = try Store()
        sync = RecordingSync(tracks: [("lib1", "Owned Song", "Someone")], store: store)
        publisher = RecordingPublisher(store: store)
        // 2 genres × 60 songs with emotion scores spread over [0, 1].
        let features = AudioFeatures(danceability: 0.5, energy: 0.5, key: 1, loudness: -5, mode: 1, speechiness: 0.1,
                                     acousticness: 0.1, instrumentalness: 0, liveness: 0.1, valence: 0.5, tempo: 120)
        var songs: [CatalogRow] = []
        var emotions: [String: Double] = [:]
        for genre in ["rock", "sad"] {
            for i in 0..<60 {
                let id = "\(genre)\(i)"
                songs.append(CatalogRow(track: CatalogTrack(id: id, name: "Song \(id)", artists: "Artist \(genre) \(i % 20)", album: "A",
                                                            popularity: i, durationMs: 1000, explicit: false, features: features,
                                                            timeSignature: 4),
                                        genre: genre, line: songs.count + 2))
                emotions[id] = Double(i) / 59
            }
        }
        _ = try CatalogImporter.write(rows: songs, into: store)
        try store.recordEmotionScores(emotions, model: "fixed")
    }

    func pipeline(mood: Double = 0.8, now: Date = Date()) -> RecommendPipeline {
        RecommendPipeline(catalog: store, listeners: store, moodReader: FixedMood(score: mood), librarySync: sync,
                          profiler: FixedProfile(shares: [("rock", 0.7), ("sad", 0.3), ("jazz", 0.2)]),
                          publisher: publisher, now: { now })
    }

    @Test func photoRunStoresTheMoodAndWritesThePlaylist() async throws {
        let result = try await pipeline(mood: 0.8).run(
            RecommendRequest(user: "u", mood: .photo("me.jpg"), options: RankingOptions(size: 20), dryRun: false))
        #expect(result.mood == 0.8)
        #expect(result.moodSource == "photo")
        #expect(result.picks.count == 20)
        #expect(publisher.published.count == 1)
        #expect(publisher.published[0] == result.picks.map { SpotifyTrackURI(id: $0.candidate.id) })
        #expect(try store.latestPhotoMood(user: "u")?.score == 0.8)
        #expect(try store.generatedPlaylistTracks(user: "u") == result.picks.map(\.candidate.id))
        let reasons = try store.generatedPlaylistReasons(user: "u")
        #expect(reasons == result.picks.map(\.reason))
        // jazz is in the profile but not in the catalog: only catalog genres are drawn from.
        #expect(Set(result.picks.map(\.candidate.genre)) == ["rock", "sad"])
    }

    @Test func dryRunWritesNothing() async throws {
        let result = try await pipeline().run(
            RecommendRequest(user: "u", mood: .photo("me.jpg"), options: RankingOptions(size: 10), dryRun: true))
        #expect(result.playlist == nil)
        #expect(publisher.published.isEmpty)
        #expect(try store.generatedPlaylistID(user: "u") == nil)
    }

    @Test func aBadPhotoFailsBeforeAnySyncOrWrite() async throws {
        await #expect(throws: MoosicError.invalidData("cannot use broken.jpg as a photo")) {
            try await pipeline().run(RecommendRequest(user: "u", mood: .photo("broken.jpg"),
                                                      options: RankingOptions(size: 10), dryRun: false))
        }
        #expect(sync.calls == 0)
        #expect(publisher.published.isEmpty)
        #expect(try store.latestPhotoMood(user: "u") == nil)
    }

    @Test func historyUsesTheLatestRecentMood() async throws {
        // Whole seconds, as the store keeps them: the reading is then exactly an hour old.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try store.ensureUser("u")
        try store.recordMood(user: "u", score: 0.2, source: "photo", at: now.addingTimeInterval(-3600))
        let result = try await pipeline(now: now).run(
            RecommendRequest(user: "u", mood: .history, options: RankingOptions(size: 10), dryRun: false))
        // An hour old: pulled a little toward neutral (one reading: no usual mood of the listener's yet).
        // (The store keeps whole seconds.)
        #expect(abs(result.mood - (0.5 - 0.3 * pow(0.5, 1.0 / 48))) < 1e-6)
        #expect(abs((result.agedMood?.ageHours ?? 0) - 1) < 0.001)
        #expect(result.moodSource == "history")
        #expect(result.notes.isEmpty)
    }

    @Test func aSecondNightAvoidsTheFirstNightsSongsAndNeverGivesBackARemovedOne() async throws {
        let first = Date(timeIntervalSince1970: 1_800_000_000)
        let night1 = try await pipeline(mood: 0.6, now: first).run(
            RecommendRequest(user: "u", mood: .photo("me.jpg"), options: RankingOptions(size: 10), dryRun: false))
        let night2 = try await pipeline(now: first.addingTimeInterval(86400)).run(
            RecommendRequest(user: "u", mood: .history, options: RankingOptions(size: 10), dryRun: false))
        #expect(Set(night1.picks.map(\.candidate.id)).isDisjoint(with: night2.picks.map(\.candidate.id)))
        #expect(night2.picks.count == 10)
        // Every song, each run: the store remembers them with the run.
        let given = try store.givenSongs(user: "u")
        #expect(given.map(\.trackID) == (night1.picks + night2.picks).map(\.candidate.id))
        // A removal recorded against night 2: never offered again, even with freshness off.
        let gone = try #require(given.last)
        try store.recordFeedback(user: "u", events: [FeedbackEvent(kind: .removed, song: gone, notedAt: first)], read: nil,
                                 at: first)
        let night3 = try await pipeline(now: first.addingTimeInterval(2 * 86400)).run(
            RecommendRequest(user: "u", mood: .history, options: RankingOptions(size: 10, freshNights: 0), dryRun: true))
        #expect(!night3.picks.map(\.candidate.id).contains(gone.trackID))
    }

    @Test func historyOlderThanAWeekFallsBackToNeutralWithANote() async throws {
        let now = Date()
        try store.ensureUser("u")
        try store.recordMood(user: "u", score: 0.1, source: "photo", at: now.addingTimeInterval(-8 * 86400))
        let result = try await pipeline(now: now).run(
            RecommendRequest(user: "u", mood: .history, options: RankingOptions(size: 10), dryRun: false))
        #expect(result.mood == 0.5)
        #expect(result.notes.contains { $0.contains("8 days old") })
    }

    @Test func noHistoryAtAllIsNeutralWithANote() async throws {
        let result = try await pipeline().run(
            RecommendRequest(user: "new", mood: .history, options: RankingOptions(size: 10), dryRun: true))
        #expect(result.mood == 0.5)
        #expect(result.notes.contains { $0.contains("no stored mood") })
    }

    @Test func refreshRunsAreRecorded() throws {
        try store.ensureUser("u")
        let id = try store.startRefreshRun(user: "u")
        try store.finishRefreshRun(id, mood: 0.4, moodSource: "history", trackCount: 30, outcome: "ok", message: nil)
        #expect(try store.refreshRuns(user: "u") == [Store.RefreshRun(user: "u", outcome: "ok", mood: 0.4,
                                                                       moodSource: "history", trackCount: 30, message: nil)])
    }

    @Test func aSecondLockOnTheSameFileIsRefusedAtOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("refresh.lock").path
        let first = try FileLock(path: path, busyMessage: "another refresh is running")
        #expect(throws: MoosicError.temporary("another refresh is running")) {
            try FileLock(path: path, busyMessage: "another refresh is running")
        }
        withExtendedLifetime(first) {}
    }
}
