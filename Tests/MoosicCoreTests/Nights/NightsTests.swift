import Foundation
import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicApp

/// Freshness, feedback and the ageing mood as pure rules (docs/nightly.md).
@Suite struct NightsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    func song(_ id: String, run: Int64 = 1, daysAgo: Double = 1, artists: String = "A", genre: String = "rock",
              new: Bool = true) -> GivenSong {
        GivenSong(runID: run, givenAt: Self.now.addingTimeInterval(-daysAgo * 86400), trackID: id, name: "Song \(id)",
                  artists: artists, genre: genre, newToUser: new)
    }

    func candidate(_ id: String, emotion: Double = 0.5, artists: String? = nil, genre: String = "rock") -> RankingCandidate {
        RankingCandidate(id: id, name: "Song \(id)", artists: artists ?? "Artist \(id)", genre: genre, emotion: emotion,
                         arousal: 0.5, popularity: 50)
    }

    // MARK: ageing mood

    @Test func aReadingLosesHalfItsDistanceFromTheUsualMoodEveryFortyEightHours() {
        let fresh = AgeingMood(latest: (0.9, Self.now), history: [0.9], now: Self.now)
        #expect(fresh.score == 0.9 && fresh.ageHours == 0 && !fresh.usualIsTheListeners && fresh.usual == 0.5)
        let twoDays = AgeingMood(latest: (0.9, Self.now.addingTimeInterval(-48 * 3600)), history: [0.9], now: Self.now)
        #expect(abs(twoDays.score - 0.7) < 1e-12 && twoDays.ageText == "2 days")
        // Three readings or more: the listener's own median is what the reading drifts to.
        let usual = AgeingMood(latest: (0.9, Self.now.addingTimeInterval(-48 * 3600)), history: [0.3, 0.2, 0.9, 0.4],
                               now: Self.now)
        #expect(usual.usualIsTheListeners && abs(usual.usual - 0.35) < 1e-12 && abs(usual.score - 0.625) < 1e-12)
        // Beyond seven days the reading says nothing more.
        let old = AgeingMood(latest: (0.1, Self.now.addingTimeInterval(-8 * 86400)), history: [0.1], now: Self.now)
        #expect(old.weight == 0 && old.score == 0.5 && old.ageText == "8 days")
    }

    // MARK: feedback

    @Test func removedSongsAreDislikesAndSavedOnesLikesEachNoticedOnce() {
        let last = [song("a", run: 2), song("b", run: 2), song("c", run: 2), song("d", run: 2)]
        let given = [song("x", run: 1, daysAgo: 2)] + last
        // a removed, b removed and saved to a playlist of theirs (a save), x saved from an older run.
        let library = LibraryIndex(tracks: [LibraryTrack(id: "b", name: "Song b", artists: "A"),
                                            LibraryTrack(id: "x", name: "Song x", artists: "A")])
        let events = ListenerFeedback.detect(lastRun: last, playlistNow: ["c", "d"], given: given, library: library,
                                             known: [], at: Self.now)
        #expect(Set(events.filter { $0.kind == .removed }.map(\.song.trackID)) == ["a"])
        #expect(Set(events.filter { $0.kind == .saved }.map(\.song.trackID)) == ["b", "x"])
        // Known feedback is not noticed again; a playlist not read since the run says nothing of removals.
        #expect(ListenerFeedback.detect(lastRun: last, playlistNow: ["c", "d"], given: given, library: library, known: events,
                                        at: Self.now).isEmpty)
        #expect(ListenerFeedback.detect(lastRun: last, playlistNow: nil, given: given, library: LibraryIndex(tracks: []),
                                        known: [], at: Self.now).isEmpty)
        // A song the listener already had when it was given (--include-library) is no like.
        #expect(ListenerFeedback.detect(lastRun: [], playlistNow: nil, given: [song("b", new: false)], library: library,
                                        known: [], at: Self.now).isEmpty)
    }

    // MARK: ranking with memory

    func rank(_ candidates: [RankingCandidate], memory: ListenerMemory, size: Int = 3) -> [RankedPick] {
        Ranker.rank(mood: 0.5, profile: GenreProfile(weights: [("rock", 1)]), candidates: candidates,
                    library: LibraryIndex(tracks: []), memory: memory, options: RankingOptions(size: size, maxTracksPerArtist: 5))
    }

    @Test func songsGivenOnTheLastNightsWaitWhileOthersFitNearlyAsWell() {
        // s0…s2 fit best (by more than the seed's jitter); s3…s5 fit within a recency penalty of them.
        let candidates = (0..<6).map { candidate("s\($0)", emotion: $0 < 3 ? 0.5 : 0.535) }
        let none = rank(candidates, memory: .none)
        #expect(Set(none.map(\.candidate.id)) == ["s0", "s1", "s2"])
        let given = ["s0", "s1", "s2"].map { song($0) }
        let next = rank(candidates, memory: ListenerMemory(now: Self.now, freshNights: 7, given: given, feedback: []))
        #expect(Set(next.map(\.candidate.id)) == ["s3", "s4", "s5"])
        #expect(next.allSatisfy { $0.givenBefore == nil })
        // Outside the window (eight nights ago), or with freshness off, they are ordinary candidates again.
        let longAgo = ListenerMemory(now: Self.now, freshNights: 7, given: ["s0", "s1", "s2"].map { song($0, daysAgo: 8) }, feedback: [])
        #expect(Set(rank(candidates, memory: longAgo).map(\.candidate.id)) == ["s0", "s1", "s2"])
        let off = ListenerMemory(now: Self.now, freshNights: 0, given: given, feedback: [])
        #expect(Set(rank(candidates, memory: off).map(\.candidate.id)) == ["s0", "s1", "s2"])
    }

    @Test func aRecentSongComesBackOnlyWhenNoFreshOneFitsAndTheOneGivenLongestAgoFirst() {
        // Four songs of the same fit, three given lately: the fresh one, then the oldest given.
        let candidates = (0..<4).map { candidate("s\($0)") }
        let given = [song("s0", daysAgo: 1), song("s1", daysAgo: 6), song("s2", daysAgo: 3)]
        let memory = ListenerMemory(now: Self.now, freshNights: 7, given: given, feedback: [])
        let picks = rank(candidates, memory: memory)
        #expect(picks.map(\.candidate.id) == ["s3", "s1", "s2"])
        #expect(picks.map { $0.givenBefore == nil } == [true, false, false])
        // The penalty falls from last night's to the window's edge.
        #expect(memory.recencyPenalty(Self.now.addingTimeInterval(-86400)) > memory.recencyPenalty(Self.now.addingTimeInterval(-6 * 86400)))
        #expect(memory.recencyPenalty(Self.now.addingTimeInterval(-7.5 * 86400)) == ListenerMemory.recentBase)
        // A fresh song much further from the mood loses to a recent one that fits.
        let far = [candidate("near"), candidate("far", emotion: 0.95)]
        let back = rank(far, memory: ListenerMemory(now: Self.now, freshNights: 7, given: [song("near", daysAgo: 2)], feedback: []), size: 1)
        #expect(back.map(\.candidate.id) == ["near"] && back[0].givenBefore != nil)
    }

    @Test func aRemovedSongNeverComesBackAndItsArtistCountsALittleLess() {
        let candidates = [candidate("gone", artists: "Band"), candidate("same", artists: "Band"), candidate("other", artists: "Other")]
        let removed = FeedbackEvent(kind: .removed, song: song("gone", daysAgo: 30, artists: "Band"), notedAt: Self.now)
        let picks = rank(candidates, memory: ListenerMemory(now: Self.now, freshNights: 7, given: [], feedback: [removed]), size: 3)
        #expect(Set(picks.map(\.candidate.id)) == ["other", "same"])
        // The disliked artist's other song scores a step lower than it would.
        let before = rank(candidates, memory: .none, size: 3).first { $0.candidate.id == "same" }?.score ?? 0
        let after = picks.first { $0.candidate.id == "same" }?.score ?? 0
        #expect(abs(before - after - ListenerMemory.artistStep) < 1e-12)
    }

    @Test func aSavedSongBringsMoreOfItsArtistAndGenre() {
        let liked = FeedbackEvent(kind: .saved, song: song("kept", artists: "Loved", genre: "jazz"), notedAt: Self.now)
        let memory = ListenerMemory(now: Self.now, freshNights: 7, given: [], feedback: [liked])
        #expect(memory.artistAdjustment(["loved"]) == ListenerMemory.artistStep)
        #expect(memory.artistAdjustment(["nobody"]) == 0)
        let profile = memory.weighting(GenreProfile(weights: [("rock", 0.5), ("jazz", 0.5)]))
        #expect(profile.share(of: "jazz") > profile.share(of: "rock"))
        #expect(abs(profile.shares.reduce(0) { $0 + $1.share } - 1) < 1e-12)
        // The liked artist's songs score a step higher.
        let candidates = [candidate("a1", artists: "Zed"), candidate("z9", artists: "Loved")]
        let before = rank(candidates, memory: .none, size: 2).first { $0.candidate.id == "z9" }?.score ?? 0
        let after = rank(candidates, memory: memory, size: 2).first { $0.candidate.id == "z9" }?.score ?? 0
        #expect(abs(after - before - ListenerMemory.artistStep) < 1e-12)
    }

    // MARK: settings

    @Test func theClockAndTheFreshNightsComeFromTheEnvironment() throws {
        #expect(try MoosicClock.now(["MOOSIC_NOW": "2026-12-01T04:05:00Z"]) == Date(timeIntervalSince1970: 1_796_097_900))
        #expect(throws: MoosicError.usage("MOOSIC_NOW must be an ISO 8601 time such as 2026-12-01T04:05:00Z, not tomorrow")) {
            try MoosicClock.now(["MOOSIC_NOW": "tomorrow"])
        }
        #expect(try ListenerMemory.freshNights([:]) == 7)
        #expect(try ListenerMemory.freshNights(["MOOSIC_FRESH_NIGHTS": "0"]) == 0)
        #expect(throws: MoosicError.self) { try ListenerMemory.freshNights(["MOOSIC_FRESH_NIGHTS": "-1"]) }
    }
}
