import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotifyEmulator
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicSpotify
@testable import MoosicApp

/// `moosic history` and the playlist cover, end to end on the built binary (covers against the emulator).
@Suite struct HistoryCoverCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    struct History: Decodable {
        struct Playlist: Decodable { var id: String; var name: String; var strategy: String; var track_count: Int; var cover: String? }
        struct Point: Decodable { var at: String; var mood: Double; var label: String; var source: String; var playlist: Playlist? }
        var user: String
        var points: [Point]
        var sparkline: String
    }

    struct Written: Decodable {
        struct Playlist: Decodable { var id: String?; var cover: String?; var cover_uploaded: Bool }
        var playlist: Playlist
        var notes: [String]
    }

    func recommend(_ photo: String, _ extra: [String], environment: [String: String] = [:]) throws -> (CLIRunner.Result, Written?) {
        let result = try cli.run(["--user", "moosicdemo", "--photo", "Fixtures/photos/\(photo)", "--json"] + extra,
                                 environment: environment)
        return (result, result.status == 0 ? try JSONDecoder().decode(Written.self, from: Data(result.stdout.utf8)) : nil)
    }

    @Test func historyShowsEachMoodWithThePlaylistMadeForIt() throws {
        #expect(try cli.run(["history", "--user", "moosicdemo"]).stdout.contains("no moods stored"))
        let happy = try recommend("happy-1.jpg", ["--offline"])
        #expect(happy.0.status == 0, "\(happy.0.stderr)")
        // Offline the cover is made and kept, not sent.
        let cover = try #require(happy.1?.playlist.cover)
        #expect(happy.1?.playlist.cover_uploaded == false)
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: cover))
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]) && jpeg.count < 256 * 1024 * 3 / 4)
        #expect(cover.hasPrefix(cli.home.path + "/covers/"))
        #expect(try recommend("sad-1.jpg", ["--offline", "--dry-run", "--size", "5"]).0.status == 0)
        #expect(try cli.run(["refresh", "--user", "moosicdemo", "--offline", "--strategy", "lift", "--size", "12"]).status == 0)

        let result = try cli.run(["history", "--user", "moosicdemo", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let history = try JSONDecoder().decode(History.self, from: Data(result.stdout.utf8))
        #expect(history.points.map(\.label) == ["happy", "sad", "sad"])
        #expect(history.points.map(\.source) == ["photo", "photo", "history"])
        #expect(history.points.map { $0.playlist?.track_count } == [30, nil, 12])
        #expect(history.points[0].playlist?.cover == cover)
        #expect(history.points[2].playlist?.strategy == "lift")
        // The refresh used the latest photo mood: the dry run's.
        #expect(history.points[2].mood == history.points[1].mood)
        #expect(history.sparkline.count == 3)

        let text = try cli.run(["history", "--user", "moosicdemo"]).stdout
        #expect(text.hasPrefix("moosicdemo: 3 moods  \(history.sparkline)"))
        #expect(text.contains("no playlist written") && text.contains("match: 30 songs in \"moosic: your mood mix\""))
    }

    /// Logs in against the emulator (the scopes it grants are the emulator's `grantedScopes`) and imports the catalog.
    func onlineSetUp(_ emulator: SpotifyEmulator) async throws {
        let login = try cli.start(["auth", "login", "--no-browser", "--port", "0"], environment: emulator.environment)
        let line = try login.stderrLine { $0.hasPrefix(emulator.accountsURL.absoluteString + "/authorize?") }
        #expect(line.contains("ugc-image-upload"))
        _ = try await URLSession.shared.data(from: URL(string: line)!)
        #expect(login.wait().status == 0)
        #expect(try cli.run(["catalog", "import", "Fixtures/catalog.csv"]).status == 0)
    }

    func emulator() throws -> SpotifyEmulator {
        try SpotifyEmulator(fixtures: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/spotify/moosicdemo"),
                            catalog: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"))
    }

    @Test func theCoverIsUploadedAfterThePlaylistWrite() async throws {
        let spotify = try emulator()
        try await onlineSetUp(spotify)
        let (result, written) = try recommend("happy-1.jpg", [], environment: spotify.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let w = try #require(written)
        #expect(w.playlist.cover_uploaded && w.notes.isEmpty)
        let uploads = spotify.coverUploads
        #expect(uploads.map(\.playlistID) == [w.playlist.id])
        #expect(uploads.first?.jpeg == (try Data(contentsOf: URL(fileURLWithPath: try #require(w.playlist.cover)))))
        let paths = spotify.requests.map(\.description)
        let write = try #require(paths.firstIndex(of: "PUT /v1/playlists/\(w.playlist.id!)/items"))
        let upload = try #require(paths.firstIndex(of: "PUT /v1/playlists/\(w.playlist.id!)/images"))
        #expect(write < upload)
    }

    @Test func aLoginWithoutTheScopeSkipsTheCoverWithANote() async throws {
        let spotify = try emulator()
        spotify.grantedScopes = SpotifyConfiguration.scopes.filter { $0 != "ugc-image-upload" }
        try await onlineSetUp(spotify)
        let (result, written) = try recommend("happy-1.jpg", [], environment: spotify.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let w = try #require(written)
        #expect(!w.playlist.cover_uploaded && w.playlist.cover != nil)
        #expect(w.notes.contains { $0.contains("log in again to allow covers") })
        #expect(spotify.coverUploads.isEmpty)
        #expect(!spotify.requests.contains { $0.path.hasSuffix("/images") })
        #expect(spotify.createdPlaylists().count == 1)
    }

    @Test func anUploadErrorIsANoteAndThePlaylistStands() async throws {
        let spotify = try emulator()
        try await onlineSetUp(spotify)
        spotify.inject(.serverError(status: 413), method: "PUT", path: "/v1/playlists/*/images")
        let (result, written) = try recommend("sad-1.jpg", ["--size", "10"], environment: spotify.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let w = try #require(written)
        #expect(!w.playlist.cover_uploaded)
        #expect(w.notes.contains { $0.contains("Spotify answered 413") })
        #expect(spotify.coverUploads.isEmpty)
        #expect(spotify.createdPlaylists().first?.uris.count == 10)
        let text = try cli.run(["history", "--user", "moosicdemo"]).stdout
        #expect(text.contains("10 songs"))
    }
}
