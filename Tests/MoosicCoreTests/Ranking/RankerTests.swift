import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct RankerTests {
    /// 3 genres × 150 songs, emotions spread over [0, 1], 50 artists per genre (3 songs each).
    static let candidates: [RankingCandidate] = ["rock", "pop", "sad"].flatMap { genre in
        (0..<150).map { i in
            RankingCandidate(id: "\(genre)-\(String(format: "%03d", i))", name: "\(genre) song \(i)",
                             artists: "\(genre) artist \(i % 50)", genre: genre,
                             emotion: Double((i * 37) % 150) / 149, popularity: (i * 7) % 100)
        }
    }
    static let profile = GenreProfile(weights: [("rock", 0.5), ("pop", 0.3), ("sad", 0.2)])
    static let noLibrary = LibraryIndex(tracks: [])

    func rank(mood: Double, _ options: RankingOptions, library: LibraryIndex = noLibrary,
              candidates: [RankingCandidate] = candidates) -> [RankedPick] {
        Ranker.rank(mood: mood, profile: Self.profile, candidates: candidates, library: library, options: options)
    }

    @Test func matchTargetsTheMoodEverywhere() {
        #expect(Ranker.targets(mood: 0.3, count: 4, strategy: .match, liftTarget: 0.85) == [0.3, 0.3, 0.3, 0.3])
    }

    @Test func liftRisesFromTheMoodToTheTarget() {
        let targets = Ranker.targets(mood: 0.25, count: 5, strategy: .lift, liftTarget: 0.85)
        #expect(targets.first == 0.25)
        #expect(abs(targets.last! - 0.85) < 1e-12)
        #expect(zip(targets, targets.dropFirst()).allSatisfy { $0 < $1 })
        // Already happier than the target: stay there rather than bring the listener down.
        #expect(Ranker.targets(mood: 0.9, count: 3, strategy: .lift, liftTarget: 0.85) == [0.9, 0.9, 0.9])
    }

    @Test func quotasFollowTheProfileAndFillTheSize() {
        let quotas = Ranker.quotas(profile: Self.profile, available: ["rock", "pop", "sad"], size: 30, maxGenres: 5)
        #expect(quotas.map(\.genre) == ["rock", "pop", "sad"])
        #expect(quotas.map(\.count) == [15, 9, 6])
        let odd = Ranker.quotas(profile: Self.profile, available: ["rock", "pop", "sad"], size: 7, maxGenres: 5)
        #expect(odd.reduce(0) { $0 + $1.count } == 7)
        // A genre without candidates gets nothing; the others share its part.
        let missing = Ranker.quotas(profile: Self.profile, available: ["pop", "sad"], size: 10, maxGenres: 5)
        #expect(missing.map(\.genre) == ["pop", "sad"])
        #expect(missing.map(\.count) == [6, 4])
        #expect(Ranker.quotas(profile: Self.profile, available: ["rock", "pop", "sad"], size: 10, maxGenres: 1).map(\.count) == [10])
    }

    @Test func genresAreInterleavedNotInBlocks() {
        let sequence = Ranker.genreSequence([("rock", 4), ("pop", 2)])
        #expect(sequence.count == 6)
        #expect(sequence.filter { $0 == "rock" }.count == 4)
        #expect(sequence != ["rock", "rock", "rock", "rock", "pop", "pop"])
        #expect(!zip(sequence, sequence.dropFirst()).contains { $0 == "pop" && $1 == "pop" })
    }

    @Test func playlistHasTheSizeNoDuplicatesAndAtMostTwoPerArtist() {
        // Two ids for one song (same artist and title) and a song listed under two genres.
        var extra = Self.candidates
        extra.append(RankingCandidate(id: "relinked", name: "rock song 0", artists: "rock artist 0", genre: "rock",
                                      emotion: Self.candidates[0].emotion, popularity: 100))
        extra.append(RankingCandidate(id: "rock-000", name: "rock song 0", artists: "rock artist 0", genre: "pop",
                                      emotion: Self.candidates[0].emotion, popularity: Self.candidates[0].popularity))
        for mood in [0.0, 0.3, 0.5, 1.0] {
            let picks = rank(mood: mood, RankingOptions(size: 30, strategy: .match), candidates: extra)
            #expect(picks.count == 30)
            #expect(Set(picks.map(\.candidate.id)).count == 30)
            #expect(Set(picks.map(\.candidate.matchKey)).count == 30)
            var perArtist: [String: Int] = [:]
            for pick in picks { perArtist[pick.candidate.artists, default: 0] += 1 }
            #expect(perArtist.values.allSatisfy { $0 <= 2 })
        }
    }

    @Test func libraryTracksAreLeftOutUnlessAsked() {
        let first = rank(mood: 0.5, RankingOptions(size: 10))
        let library = LibraryIndex(tracks: first.prefix(5).map {
            LibraryTrack(id: "other-id-\($0.candidate.id)", name: $0.candidate.name, artists: $0.candidate.artists)
        } + first.suffix(5).map { LibraryTrack(id: $0.candidate.id, name: "x", artists: "y") })
        let second = rank(mood: 0.5, RankingOptions(size: 10), library: library)
        #expect(Set(second.map(\.candidate.id)).isDisjoint(with: first.map(\.candidate.id)))
        #expect(second.allSatisfy { $0.isNewToUser })
        let withLibrary = rank(mood: 0.5, RankingOptions(size: 10, excludeLibrary: false), library: library)
        #expect(withLibrary.map(\.candidate.id) == first.map(\.candidate.id))
        #expect(withLibrary.contains { !$0.isNewToUser })
    }

    @Test func deterministicForASeedAndVariedAcrossSeeds() {
        let a = rank(mood: 0.4, RankingOptions(size: 20, seed: 7))
        let b = rank(mood: 0.4, RankingOptions(size: 20, seed: 7))
        let c = rank(mood: 0.4, RankingOptions(size: 20, seed: 8))
        #expect(a == b)
        #expect(a.map(\.candidate.id) != c.map(\.candidate.id))
        // Input order does not matter.
        let shuffled = rank(mood: 0.4, RankingOptions(size: 20, seed: 7), candidates: Self.candidates.reversed())
        #expect(shuffled == a)
    }

    @Test func matchStaysCloseToTheMood() {
        let picks = rank(mood: 0.2, RankingOptions(size: 30, strategy: .match))
        let error = picks.map { abs($0.candidate.emotion - 0.2) }.reduce(0, +) / Double(picks.count)
        #expect(error < 0.05)
    }

    @Test func liftGivesARisingEmotionCurveForASadMood() {
        let picks = rank(mood: 0.15, RankingOptions(size: 30, strategy: .lift))
        let emotions = picks.map(\.candidate.emotion)
        let third = emotions.count / 3
        let start = emotions.prefix(third).reduce(0, +) / Double(third)
        let end = emotions.suffix(third).reduce(0, +) / Double(third)
        #expect(start < 0.35)
        #expect(end > 0.65)
        #expect(abs(emotions.first! - 0.15) < 0.05)
    }

    @Test func tiesAreBrokenByPopularityThenID() {
        let tied = [
            RankingCandidate(id: "b", name: "B", artists: "x", genre: "rock", emotion: 0.5, popularity: 50),
            RankingCandidate(id: "a", name: "A", artists: "y", genre: "rock", emotion: 0.5, popularity: 50),
            RankingCandidate(id: "c", name: "C", artists: "z", genre: "rock", emotion: 0.5, popularity: 90),
        ]
        let a = tied[1], b = tied[0], c = tied[2]
        #expect(Ranker.isBetter(c, 1, than: a, 1))
        #expect(Ranker.isBetter(a, 1, than: b, 1))
        #expect(!Ranker.isBetter(b, 1, than: a, 1))
    }

    @Test func everyPickSaysWhy() throws {
        let picks = rank(mood: 0.31, RankingOptions(size: 6, strategy: .match))
        let rock = try #require(picks.first { $0.candidate.genre == "rock" })
        #expect(rock.reason.contains("rock"))
        #expect(rock.reason.contains("close to your mood 0.31"))
        #expect(rock.reason.contains("rock is 50 % of your listening"))
    }

    @Test func tooFewCandidatesGiveAShorterPlaylistNotACrash() {
        let few = Array(Self.candidates.prefix(3))
        #expect(rank(mood: 0.5, RankingOptions(size: 30), candidates: few).count <= 3)
        #expect(rank(mood: 0.5, RankingOptions(size: 30), candidates: []).isEmpty)
    }
}

/// The energy axis: the mood moves the happy axis, the listener's own songs hold the energy.
@Suite struct RankerEnergyTests {
    /// Metal and folk songs over the whole happy axis; within each genre, quiet and loud songs at every
    /// emotion (metal's quiet intros, folk's stomping hoedowns), so only the energy can tell them apart.
    static let candidates: [RankingCandidate] = ["metal", "folk"].flatMap { genre in
        (0..<200).map { i in
            RankingCandidate(id: "\(genre)-\(String(format: "%03d", i))", name: "\(genre) \(i)", artists: "\(genre) artist \(i % 100)",
                             genre: genre, emotion: Double(i % 20) / 19, arousal: Double((i * 7) % 200) / 199,
                             popularity: 50)
        }
    }

    func listener(_ genre: String, arousal: Double) -> ListenerArousal {
        ListenerArousal(samples: (0..<10).map { i in ([genre], arousal + Double(i - 5) * 0.01) })
    }

    func meanArousal(_ picks: [RankedPick]) -> Double { picks.map(\.candidate.arousal).reduce(0, +) / Double(picks.count) }

    @Test func aSadMetalListenerGetsDarkMetalAndASadFolkListenerQuietFolk() {
        let options = RankingOptions(size: 12, strategy: .match, seed: 1)
        let metalFan = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 1)]), candidates: Self.candidates,
                                   library: LibraryIndex(tracks: []), arousal: listener("metal", arousal: 0.9), options: options)
        let folkFan = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("folk", 1)]), candidates: Self.candidates,
                                  library: LibraryIndex(tracks: []), arousal: listener("folk", arousal: 0.15), options: options)
        #expect(metalFan.count == 12 && folkFan.count == 12)
        #expect(metalFan.allSatisfy { $0.candidate.genre == "metal" && $0.candidate.emotion <= 0.3 })
        #expect(folkFan.allSatisfy { $0.candidate.genre == "folk" && $0.candidate.emotion <= 0.3 })
        #expect(meanArousal(metalFan) > 0.75, "dark metal, not quiet metal")
        #expect(meanArousal(folkFan) < 0.3, "quiet folk, not loud folk")
        // Without the energy term the same moods give songs of any energy: the term is what does it.
        var blind = options
        blind.arousalWeight = 0
        let blindMetal = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 1)]), candidates: Self.candidates,
                                     library: LibraryIndex(tracks: []), arousal: listener("metal", arousal: 0.9), options: blind)
        #expect(meanArousal(blindMetal) < meanArousal(metalFan) - 0.2)
        #expect(metalFan.allSatisfy { $0.arousalTarget == listener("metal", arousal: 0.9).byGenre["metal"] })
        #expect(metalFan[0].reason.contains("energy of your metal"), "\(metalFan[0].reason)")
        // Fewer than three of the listener's songs in the genre: all of their songs are the anchor,
        // and without any the genre's own median; the reason says whose energy it is.
        let fewMetal = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 1)]), candidates: Self.candidates,
                                   library: LibraryIndex(tracks: []), arousal: ListenerArousal(samples: [(["folk"], 0.2)]), options: options)
        #expect(fewMetal[0].arousalTarget == 0.2 && fewMetal[0].reason.contains("energy of your songs, 0.20"), "\(fewMetal[0].reason)")
        let stranger = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 1)]), candidates: Self.candidates,
                                   library: LibraryIndex(tracks: []), options: options)
        #expect(stranger[0].reason.contains("to the energy of metal,"), "\(stranger[0].reason)")
    }

    @Test func liftMovesTheEnergyTargetInBoundedSteps() {
        let picks = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 0.5), ("folk", 0.5)]),
                                candidates: Self.candidates, library: LibraryIndex(tracks: []),
                                arousal: ListenerArousal(samples: (0..<5).map { _ in (["metal"], 0.9) } + (0..<5).map { _ in (["folk"], 0.1) }),
                                options: RankingOptions(size: 20, strategy: .lift, seed: 1))
        #expect(picks.count == 20)
        for (previous, next) in zip(picks, picks.dropFirst()) {
            #expect(abs(next.arousalTarget - previous.candidate.arousal) <= 0.1 + 1e-12)
        }
        let match = Ranker.rank(mood: 0.1, profile: GenreProfile(weights: [("metal", 0.5), ("folk", 0.5)]),
                                candidates: Self.candidates, library: LibraryIndex(tracks: []),
                                arousal: ListenerArousal(samples: (0..<5).map { _ in (["metal"], 0.9) } + (0..<5).map { _ in (["folk"], 0.1) }),
                                options: RankingOptions(size: 20, strategy: .match, seed: 1))
        let lift = PlaylistQuality.measure(picks, profile: GenreProfile(weights: [("metal", 1), ("folk", 1)]))
        let jumpy = PlaylistQuality.measure(match, profile: GenreProfile(weights: [("metal", 1), ("folk", 1)]))
        #expect(lift.arousalStep < jumpy.arousalStep, "alternating metal and folk at their own energies jumps; lift does not")
        #expect(picks[1].reason.contains("one small step from the last song's"))
    }

    @Test func listenerEnergyNeedsThreeSongsOfAGenreElseUsesAllOfThem() {
        let energy = ListenerArousal(samples: [(["rock"], 0.2), (["rock", "pop"], 0.4), (["rock"], 0.9), (["pop"], 0.8)])
        #expect(energy.byGenre == ["rock": 0.4])
        #expect(abs(energy.overall! - 0.6) < 1e-12 && energy.songs == 4, "the median of 0.2, 0.4, 0.8, 0.9")
        #expect(energy.anchor(genre: "rock") == 0.4 && energy.anchor(genre: "pop") == energy.overall)
        #expect(ListenerArousal(samples: []).anchor(genre: "rock") == nil)
        #expect(energy.anchorSource(genre: "rock") == .genre && energy.anchorSource(genre: "pop") == .library)
        #expect(ListenerArousal(samples: []).anchorSource(genre: "rock") == .catalog)
    }
}

@Suite struct PlaylistQualityTests {
    @Test func jensenShannonBounds() {
        #expect(PlaylistQuality.jensenShannon(["a": 0.5, "b": 0.5], ["a": 0.5, "b": 0.5]) == 0)
        #expect(abs(PlaylistQuality.jensenShannon(["a": 1], ["b": 1]) - 1) < 1e-12)
        let partial = PlaylistQuality.jensenShannon(["a": 0.7, "b": 0.3], ["a": 0.5, "b": 0.5])
        #expect(partial > 0 && partial < 0.1)
    }

    @Test func measuresAPlaylist() {
        func pick(_ id: String, _ genre: String, _ artist: String, emotion: Double, target: Double, arousal: Double,
                  new: Bool) -> RankedPick {
            RankedPick(candidate: RankingCandidate(id: id, name: id, artists: artist, genre: genre, emotion: emotion,
                                                   arousal: arousal, popularity: 0),
                       target: target, arousalTarget: 0.5, score: 0, reason: "", isNewToUser: new)
        }
        let picks = [pick("1", "rock", "x", emotion: 0.5, target: 0.4, arousal: 0.5, new: true),
                     pick("2", "rock", "x", emotion: 0.2, target: 0.4, arousal: 0.9, new: false),
                     pick("3", "pop", "y;z", emotion: 0.4, target: 0.4, arousal: 0.6, new: true),
                     pick("4", "pop", "z", emotion: 0.4, target: 0.4, arousal: 0.6, new: true)]
        let quality = PlaylistQuality.measure(picks, profile: GenreProfile(weights: [("rock", 1), ("pop", 1)]))
        #expect(quality.genreDivergence == 0)
        #expect(abs(quality.meanEmotionError - 0.075) < 1e-12)
        #expect(abs(quality.meanArousalError - 0.15) < 1e-12)
        // Smoothness: |0.2−0.5| + |0.4−0.2| + 0 over 3 steps; |0.9−0.5| + |0.6−0.9| + 0 over 3.
        #expect(abs(quality.emotionStep - 0.5 / 3) < 1e-12)
        #expect(abs(quality.arousalStep - 0.7 / 3) < 1e-12)
        #expect(PlaylistQuality.meanStep([0.3]) == 0)
        #expect(quality.distinctArtists == 3)
        #expect(quality.newToUser == 0.75)
    }
}
