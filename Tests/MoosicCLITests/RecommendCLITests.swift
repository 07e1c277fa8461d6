import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotifyEmulator
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// `moosic [recommend]`, `refresh` end to end: the built binary, the shipped models, the Fixtures.
@Suite struct RecommendCLITests {
    let home: URL
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
        home = cli.home
    }

    /// The JSON of the contract (docs/cli.md); decoding fails if a key is missing.
    struct Output: Decodable {
        struct Mood: Decodable {
            var score: Double; var label: String; var source: String; var faces_found: Int?
            struct Face: Decodable { var x, y, w, h: Int }
            var face: Face?
        }
        struct Genre: Decodable { var genre: String; var share: Double }
        struct Coverage: Decodable { var library_tracks: Int; var with_features: Int }
        struct Track: Decodable {
            var id, uri, name, artists, genre: String
            var emotion, score, arousal, energy_target: Double
            var reason: String
        }
        struct Playlist: Decodable {
            var id: String?; var url: String?; var name: String; var created: Bool; var tracks: [Track]
        }
        var user: String
        var mood: Mood
        var genres: [Genre]
        var coverage: Coverage
        var playlist: Playlist
    }

    func recommend(_ photo: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> (CLIRunner.Result, Output?) {
        let result = try cli.run(["--user", "moosicdemo", "--photo", "Fixtures/photos/\(photo)", "--json"] + extra,
                                 environment: environment)
        return (result, result.status == 0 ? try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)) : nil)
    }

    func store() throws -> Store { try Store(environment: MoosicEnvironment(home: home)) }

    func playlistRows() throws -> Int {
        try store().tableSizes()["generated_playlist"] ?? 0
    }

    @Test func offlineTwiceKeepsOnePlaylistAndReplacesIt() throws {
        let (first, happy) = try recommend("happy-1.jpg", ["--offline"])
        #expect(first.status == 0, "\(first.stderr)")
        let h = try #require(happy)
        #expect(h.user == "moosicdemo")
        #expect(h.mood.label == "happy" && h.mood.score > 0.5 && h.mood.source == "photo" && h.mood.faces_found == 1)
        #expect(h.playlist.created)
        #expect(h.playlist.tracks.count == 30)
        #expect(h.playlist.tracks.allSatisfy { $0.uri == "spotify:track:\($0.id)" && !$0.reason.isEmpty })
        // Both axes, each pick says both.
        #expect(h.playlist.tracks.allSatisfy { (0...1).contains($0.arousal) && (0...1).contains($0.energy_target) })
        #expect(h.playlist.tracks.allSatisfy { $0.reason.contains("emotion 0.") && $0.reason.contains("energy") })
        #expect(h.coverage.library_tracks == 420 && h.coverage.with_features == 418)
        #expect(abs(h.genres.map(\.share).reduce(0, +) - 1) < 0.01)

        let (second, sad) = try recommend("sad-1.jpg", ["--offline"])
        #expect(second.status == 0, "\(second.stderr)")
        let s = try #require(sad)
        #expect(s.mood.label == "sad" && s.mood.score < 0.5)
        #expect(!s.playlist.created)
        #expect(s.playlist.id == h.playlist.id)
        #expect(try playlistRows() == 1)
        #expect(try store().generatedPlaylistTracks(user: "moosicdemo") == s.playlist.tracks.map(\.id))
        #expect(s.playlist.tracks.map(\.id) != h.playlist.tracks.map(\.id))
    }

    @Test func forASadPhotoLiftRisesAndMatchStaysLow() throws {
        let lift = try #require(try recommend("sad-1.jpg", ["--offline", "--strategy", "lift", "--dry-run"]).1)
        let match = try #require(try recommend("sad-1.jpg", ["--offline", "--strategy", "match", "--dry-run"]).1)
        func mean(_ values: ArraySlice<Double>) -> Double { values.reduce(0, +) / Double(values.count) }
        // The sad fixture reads about 0.2 (P(happy) + ½ P(neutral)): lift starts near it, match stays at it.
        let mood = lift.mood.score
        #expect(mood < 0.35)
        let rising = lift.playlist.tracks.map(\.emotion)
        #expect(mean(rising.prefix(10)) < mood + 0.2)
        #expect(mean(rising.suffix(10)) > 0.6)
        // Rising: each third happier than the one before.
        #expect(mean(rising.prefix(10)) < mean(rising[10..<20]) && mean(rising[10..<20]) < mean(rising.suffix(10)))
        let flat = match.playlist.tracks.map(\.emotion)
        #expect(abs(mean(flat[...]) - match.mood.score) < 0.1)
        #expect(mean(flat.suffix(10)) - mean(flat.prefix(10)) < 0.1)
        // A dry run writes nothing.
        #expect(try playlistRows() == 0)
        #expect(match.playlist.id == nil)
    }

    @Test func humanOutputIsATable() throws {
        let result = try cli.run(["recommend", "--user", "moosicdemo", "--photo", "Fixtures/photos/happy-2.jpg",
                                  "--offline", "--size", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("mood: 0."))
        #expect(result.stdout.contains("#  emotion  energy  genre"))
        #expect(result.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 5)
    }

    @Test func badPhotoOrNoFaceFailsAndWritesNothing() throws {
        let noFace = try recommend("no-face.jpg", ["--offline"]).0
        #expect(noFace.status == 65)
        #expect(noFace.stderr.contains("no face found in"))
        let missing = try recommend("nope.jpg", ["--offline"]).0
        #expect(missing.status == 66)
        #expect(try playlistRows() == 0)
    }

    @Test func onlineWithoutALoginExits77() throws {
        let result = try recommend("happy-1.jpg")
        #expect(result.0.status == 77)
        #expect(result.0.stderr.contains("moosic auth login"))
    }

    @Test func refreshWithAndWithoutAPhotoIsSilentAndRecorded() throws {
        let withPhoto = try cli.run(["refresh", "--user", "moosicdemo", "--photo", "Fixtures/photos/sad-1.jpg", "--offline"])
        #expect(withPhoto.status == 0, "\(withPhoto.stderr)")
        #expect(withPhoto.stdout.isEmpty && withPhoto.stderr.isEmpty)
        let fromHistory = try cli.run(["refresh", "--user", "moosicdemo", "--offline"])
        #expect(fromHistory.status == 0, "\(fromHistory.stderr)")
        // Seconds after the first, at the same mood: the songs that fit best were all given just now,
        // so some come back, and a note on stderr says so (docs/nightly.md); nothing else is printed.
        #expect(fromHistory.stdout.isEmpty)
        #expect(fromHistory.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("moosic: note: ") && $0.contains("given again") },
                "\(fromHistory.stderr)")
        let runs = try store().refreshRuns(user: "moosicdemo")
        #expect(runs.map(\.outcome) == ["ok", "ok"])
        #expect(runs.map(\.moodSource) == ["photo", "history"])
        // The stored reading, seconds old: aged by a hair.
        #expect(abs((runs[0].mood ?? 0) - (runs[1].mood ?? 1)) < 1e-3)
        #expect(runs.allSatisfy { $0.trackCount == 30 })
        #expect(try playlistRows() == 1)
    }

    @Test func refreshWithoutAnyMoodUsesNeutralWithANote() throws {
        let result = try cli.run(["refresh", "--user", "moosicdemo", "--offline", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no stored mood"))
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.mood.score == 0.5 && output.mood.source == "history")
    }

    @Test func twoConcurrentRefreshesRunExactlyOnce() throws {
        let a = try cli.start(["refresh", "--user", "moosicdemo", "--photo", "Fixtures/photos/happy-1.jpg", "--offline"])
        let b = try cli.start(["refresh", "--user", "moosicdemo", "--photo", "Fixtures/photos/happy-1.jpg", "--offline"])
        let results = [a.wait(), b.wait()]
        #expect(results.map(\.status).sorted() == [0, 75], "\(results.map(\.stderr))")
        let refused = try #require(results.first { $0.status == 75 })
        #expect(refused.stderr == "moosic: error: another refresh is running for moosicdemo\n")
        #expect(try store().refreshRuns(user: "moosicdemo").map(\.outcome) == ["ok"])
    }

    @Test func onlineTwiceAgainstTheEmulatorMakesOnePlaylistWithTheLatestSongs() async throws {
        let emulator = try SpotifyEmulator(fixtures: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/spotify/moosicdemo"),
                                           catalog: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"))
        let login = try cli.start(["auth", "login", "--no-browser", "--port", "0"], environment: emulator.environment)
        let line = try login.stderrLine { $0.hasPrefix(emulator.accountsURL.absoluteString + "/authorize?") }
        _ = try await URLSession.shared.data(from: URL(string: line)!)
        #expect(login.wait().status == 0)
        // Online needs a catalog: the user imports one.
        #expect(try cli.run(["catalog", "import", "Fixtures/catalog.csv"]).status == 0)

        let (first, happy) = try recommend("happy-1.jpg", environment: emulator.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let (second, sad) = try recommend("sad-1.jpg", ["--strategy", "lift"], environment: emulator.environment)
        #expect(second.status == 0, "\(second.stderr)")
        let playlists = emulator.createdPlaylists()
        #expect(playlists.count == 1)
        #expect(happy?.playlist.created == true && sad?.playlist.created == false)
        #expect(playlists.first?.id == sad?.playlist.id)
        #expect(playlists.first?.uris == sad?.playlist.tracks.map(\.uri))
        #expect(playlists.first?.description.contains("lift") == true)
    }

    @Test func evalRankerMeasuresBothStrategiesForBothMoods() throws {
        struct Row: Decodable {
            struct Quality: Decodable {
                var genre_jsd, mean_emotion_error, mean_energy_error, emotion_step, energy_step, new_to_user: Double
                var distinct_artists, tracks: Int
            }
            var photo: String; var mood: Double; var strategy: String; var quality: Quality
            var emotion_start: Double; var emotion_end: Double
        }
        let result = try cli.run(["eval", "ranker", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(result.stdout.utf8))
        #expect(rows.map { "\($0.photo) \($0.strategy)" } == ["happy-1.jpg match", "happy-1.jpg lift", "sad-1.jpg match", "sad-1.jpg lift"])
        // The sad photo reads 0.01, below every song of the fixture listener's genres (the calibrated
        // scores start near 0.1): match lands within 0.15 of it, lift within 0.1 of its rising targets.
        #expect(rows.allSatisfy { $0.quality.tracks == 30 && $0.quality.new_to_user == 1 && $0.quality.mean_emotion_error < 0.15 })
        #expect(rows.filter { $0.strategy == "lift" }.allSatisfy { $0.quality.mean_emotion_error < 0.1 })
        #expect(rows.allSatisfy { $0.quality.emotion_step < 0.2 && $0.quality.energy_step < 0.2 })
        let sadLift = rows[3], sadMatch = rows[2]
        #expect(sadLift.emotion_end - sadLift.emotion_start > 0.4)
        #expect(sadMatch.emotion_end < 0.3)
        // eval ranker works in a store of its own.
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("moosic.sqlite").path))
    }
}
