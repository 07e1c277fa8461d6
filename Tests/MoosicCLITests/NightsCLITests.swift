import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotifyEmulator
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicApp

/// A listener's week (issue 22, docs/nightly.md): seven nightly `moosic refresh` runs on seven dates
/// (MOOSIC_NOW, the clock's test hook) of the built binary against the loopback Spotify, serving the
/// 420-track fixture listener `moosicdemo`. After night 2 the listener removes three songs from
/// moosic's playlist, saves one to Liked Songs and adds one to a playlist of their own.
@Suite struct NightsCLITests {
    static let user = "moosicdemo"
    static let firstNight = try! Date("2026-12-01T04:05:00Z", strategy: .iso8601)

    struct Night: Decodable {
        struct Mood: Decodable { var score: Double; var source: String; var age_hours: Double?; var usual: Double? }
        struct Track: Decodable { var id: String; var artists: String; var genre: String; var given_before: String? }
        struct Playlist: Decodable { var id: String?; var written: Bool; var tracks: [Track] }
        struct Quality: Decodable { var genre_jsd, mean_emotion_error, mean_energy_error, emotion_step, energy_step: Double }
        struct Song: Decodable { var id: String }
        struct Feedback: Decodable { var removed: [Song]; var saved: [Song] }
        var mood: Mood
        var playlist: Playlist
        var quality: Quality
        var feedback: Feedback
        var notes: [String]
    }

    struct History: Decodable {
        struct Song: Decodable { var id: String }
        struct Songs: Decodable { var new: Int; var again: Int; var given_before: [Song]; var removed: [Song]; var saved: [Song] }
        struct Playlist: Decodable { var track_count: Int; var songs: Songs? }
        struct Point: Decodable { var at: String; var source: String; var age_hours: Double?; var playlist: Playlist? }
        var points: [Point]
    }

    struct Dislikes: Decodable {
        struct Dislike: Decodable { var id: String; var name: String; var given_at: String }
        var dislikes: [Dislike]
    }

    let cli: CLIRunner
    let emulator: SpotifyEmulator

    init() async throws {
        cli = try CLIRunner()
        emulator = try SpotifyEmulator(fixtures: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/spotify/\(Self.user)"),
                                       catalog: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"))
        let imported = try cli.run(["catalog", "import", "Fixtures/catalog.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let running = try cli.start(["auth", "login", "--no-browser", "--port", "0"], environment: emulator.environment)
        let line = try running.stderrLine { $0.hasPrefix(emulator.accountsURL.absoluteString + "/authorize?") }
        _ = try await URLSession.shared.data(from: URL(string: line)!)
        let login = running.wait()
        #expect(login.status == 0, "\(login.stderr)")
    }

    func environment(night: Int) -> [String: String] {
        emulator.environment.merging([MoosicClock.variable: Self.firstNight.addingTimeInterval(Double(night - 1) * 86400)
            .formatted(.iso8601)]) { $1 }
    }

    /// One nightly refresh on the date of `night` (1 = the first).
    func refresh(night: Int, _ extra: [String] = []) throws -> (CLIRunner.Result, Night?) {
        let result = try cli.run(["refresh", "--user", Self.user, "--json"] + extra, environment: environment(night: night))
        return (result, result.status == 0 ? try JSONDecoder().decode(Night.self, from: Data(result.stdout.utf8)) : nil)
    }

    /// GET /playlists/{id}/items requests for moosic's own playlist since the log was cleared.
    func playlistReads(_ id: String) -> Int {
        emulator.requests.filter { $0.method == "GET" && $0.path == "/v1/playlists/\(id)/items" }.count
    }

    @Test func aWeekOfNightsIsFreshForgetsNothingTheListenerRemovedAndFollowsWhatTheySaved() throws {
        var nights: [Night] = []
        var removed: [String] = [], saved: [String] = [], reads: [Int] = []
        for night in 1...7 {
            emulator.clearLog()
            let (result, output) = try refresh(night: night, night == 1 ? ["--photo", "Fixtures/photos/happy-1.jpg"] : [])
            #expect(result.status == 0, "night \(night): \(result.stderr)")
            let tonight = try #require(output, "night \(night)")
            nights.append(tonight)
            #expect(tonight.playlist.written && tonight.playlist.tracks.count == 30, "night \(night)")
            #expect(emulator.createdPlaylists().count == 1, "night \(night)")
            let playlist = try #require(emulator.createdPlaylists().first)
            #expect(playlist.uris == tonight.playlist.tracks.map { "spotify:track:\($0.id)" }, "night \(night)")
            if night > 1 { reads.append(playlistReads(playlist.id)) }
            if night == 2 {
                // The listener, in the Spotify app: three songs out of moosic's playlist, one to Liked
                // Songs, one into their own playlist (both stay in moosic's playlist too).
                let ids = tonight.playlist.tracks.map(\.id)
                removed = [ids[0], ids[7], ids[14]]
                saved = [ids[3], ids[20]]
                emulator.removeItems(from: playlist.id, uris: removed.map { "spotify:track:\($0)" })
                emulator.saveTracks(["spotify:track:\(saved[0])"])
                let own = try #require(emulator.ownPlaylists().first)
                emulator.addItems(to: own.id, uris: ["spotify:track:\(saved[1])"])
            }
            if night == 3 {
                #expect(Set(tonight.feedback.removed.map(\.id)) == Set(removed))
                #expect(Set(tonight.feedback.saved.map(\.id)) == Set(saved))
            } else {
                #expect(tonight.feedback.removed.isEmpty && tonight.feedback.saved.isEmpty, "night \(night)")
            }
        }

        // Freshness: the share of a night's songs moosic gave on an earlier night.
        var earlier = Set(nights[0].playlist.tracks.map(\.id))
        var repeats: [Double] = []
        for night in nights.dropFirst() {
            let ids = night.playlist.tracks.map(\.id)
            repeats.append(Double(ids.filter(earlier.contains).count) / Double(ids.count))
            earlier.formUnion(ids)
        }
        let meanRepeat = repeats.reduce(0, +) / Double(repeats.count)
        #expect(meanRepeat <= 0.10)
        #expect(repeats.allSatisfy { $0 <= 0.20 }, "\(repeats)")
        // Feedback: removed songs never back, saved ones never offered again (they are in the library).
        let later = Set(nights[2...].flatMap { $0.playlist.tracks.map(\.id) })
        let removedBack = removed.filter(later.contains).count
        let savedAgain = saved.filter(later.contains).count
        #expect(removedBack == 0)
        #expect(savedAgain == 0)
        // Quality holds while the playlist rotates.
        let first = nights[0].quality
        for (n, night) in nights.enumerated().dropFirst() {
            #expect(night.quality.mean_emotion_error <= first.mean_emotion_error + 0.02, "night \(n + 1)")
            #expect(night.quality.mean_energy_error <= first.mean_energy_error + 0.02, "night \(n + 1)")
            #expect(night.quality.genre_jsd <= first.genre_jsd + 0.02, "night \(n + 1)")
        }
        // The mood ages from the photo toward neutral (one reading: no usual mood of the listener's yet).
        #expect(nights[0].mood.source == "photo" && nights[0].mood.age_hours == 0)
        for (n, night) in nights.enumerated().dropFirst() {
            #expect(night.mood.source == "history" && night.mood.age_hours == Double(24 * n), "night \(n + 1)")
            #expect(abs(night.mood.score - 0.5) < abs(nights[n - 1].mood.score - 0.5) + 1e-9, "night \(n + 1)")
        }
        // Reading moosic's own playlist: one request per 50 songs.
        #expect(reads.allSatisfy { $0 == 1 }, "\(reads)")

        // `moosic history`: seven dates, each run's new and repeated songs, night 2's removals and saves.
        let historyRun = try cli.run(["history", "--user", Self.user, "--json"])
        #expect(historyRun.status == 0, "\(historyRun.stderr)")
        let history = try JSONDecoder().decode(History.self, from: Data(historyRun.stdout.utf8))
        #expect(Set(history.points.map { $0.at.prefix(10) }).count == 7)
        #expect(history.points.count == 7)
        let songs = history.points.compactMap(\.playlist?.songs)
        #expect(songs.count == 7)
        #expect(songs.first?.new == 30)
        // Each run's songs given before are the week's repeats, and the stored mood's age is on its point.
        #expect(songs.dropFirst().map { Double($0.given_before.count) / 30 } == repeats)
        #expect(songs.allSatisfy { $0.new + $0.again == 30 && $0.again == $0.given_before.count })
        #expect(history.points.map(\.age_hours) == [nil] + (1...6).map { Double(24 * $0) })
        #expect(Set(songs[1].removed.map(\.id)) == Set(removed) && Set(songs[1].saved.map(\.id)) == Set(saved))
        let text = try cli.run(["history", "--user", Self.user])
        #expect(text.stdout.contains("removed: ") && text.stdout.contains("saved: "), "\(text.stdout)")

        // The dislikes, listed and cleared.
        let listed = try JSONDecoder().decode(Dislikes.self, from: Data(try cli.run(["dislikes", "list", "--user", Self.user, "--json"]).stdout.utf8))
        #expect(Set(listed.dislikes.map(\.id)) == Set(removed))
        let clearOne = try cli.run(["dislikes", "clear", "--user", Self.user, "--track", removed[0]])
        #expect(clearOne.status == 0 && clearOne.stdout == "cleared 1 dislike of \(Self.user)\n", "\(clearOne.stderr)")
        let unknown = try cli.run(["dislikes", "clear", "--user", Self.user, "--track", "nosuchtrack"])
        #expect(unknown.status == 65 && unknown.stderr.hasPrefix("moosic: error: ") && unknown.stderr.split(separator: "\n").count == 1)
        let rest = try JSONDecoder().decode(Dislikes.self, from: Data(try cli.run(["dislikes", "list", "--user", Self.user, "--json"]).stdout.utf8))
        #expect(Set(rest.dislikes.map(\.id)) == Set(removed.dropFirst()))

        // A 100-song playlist, then a night that reads it back: two requests of 50.
        #expect(try refresh(night: 8, ["--size", "100"]).0.status == 0)
        let playlistID = try #require(emulator.createdPlaylists().first?.id)
        emulator.clearLog()
        let (ninth, _) = try refresh(night: 9)
        #expect(ninth.status == 0, "\(ninth.stderr)")
        let bigReads = playlistReads(playlistID)
        #expect(bigReads <= 2)

        func f(_ value: Double) -> String { String(format: "%.3f", value) }
        print("""
            nights week (moosicdemo, fixture catalog, MOOSIC_FRESH_NIGHTS=7):
              repeat share nights 2-7: \(repeats.map(f).joined(separator: " ")) (mean \(f(meanRepeat)), max \(f(repeats.max() ?? 0)))
              removed songs back: \(removedBack) of \(removed.count); saved songs offered again: \(savedAgain) of \(saved.count)
              mood: \(nights.map { f($0.mood.score) }.joined(separator: " "))
              mean |emotion - target|: \(nights.map { f($0.quality.mean_emotion_error) }.joined(separator: " "))
              mean |energy - target|: \(nights.map { f($0.quality.mean_energy_error) }.joined(separator: " "))
              genre JSD: \(nights.map { f($0.quality.genre_jsd) }.joined(separator: " "))
              smoothness |d emotion|: \(nights.map { f($0.quality.emotion_step) }.joined(separator: " "))
              reads of moosic's playlist per run (30 songs): \(reads.map(String.init).joined(separator: " ")); 100 songs: \(bigReads)
              history dates: \(Set(history.points.map { $0.at.prefix(10) }).count)
            """)
    }
}
