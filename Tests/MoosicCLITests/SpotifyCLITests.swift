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

/// `moosic auth …` and `moosic library sync` as a user runs them, against the loopback emulator.
@Suite struct SpotifyCLITests {
    let home: URL
    let cli: CLIRunner
    let emulator: SpotifyEmulator

    init() throws {
        cli = try CLIRunner()
        home = cli.home
        emulator = try SpotifyEmulator(fixtures: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/spotify/moosicdemo"))
    }

    struct SyncJSON: Decodable {
        var playlists, fetched, unchanged, forbidden, followed, items, liked, requests: Int
    }

    /// `moosic auth login --no-browser`, the test being the browser: it reads the authorize URL from
    /// stderr and opens it; the emulator redirects to moosic's callback listener.
    func login() async throws -> CLIRunner.Result {
        let running = try cli.start(["auth", "login", "--no-browser", "--port", "0"], environment: emulator.environment)
        let line = try running.stderrLine { $0.hasPrefix(emulator.accountsURL.absoluteString + "/authorize?") }
        let (_, response) = try await URLSession.shared.data(from: URL(string: line)!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return running.wait()
    }

    func lastSync() throws -> Date? {
        try Store(environment: MoosicEnvironment(home: home)).lastSync(user: "moosicdemo")
    }

    @Test func loginSyncResyncRateLimitsServerErrorsRevocationAndNoTokenAnywhere() async throws {
        var outputs: [CLIRunner.Result] = []
        func run(_ arguments: [String]) throws -> CLIRunner.Result {
            let result = try cli.run(arguments, environment: emulator.environment)
            outputs.append(result)
            return result
        }

        let loginStarted = Date()
        let login = try await login()
        outputs.append(login)
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout == "logged in as moosicdemo (Moosic Demo)\n")
        let tokenFile = home.appendingPathComponent("spotify-tokens.json")
        #expect(try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: home.path)[.posixPermissions] as? Int == 0o700)

        let status = try run(["auth", "status"])
        #expect(status.status == 0)
        #expect(status.stdout.hasPrefix("moosicdemo (Moosic Demo): logged in "))
        struct StatusJSON: Decodable {
            struct User: Decodable { var user: String; var token_age_seconds: Int; var expires_in_seconds: Int }
            var users: [User]
        }
        let statusJSON = try JSONDecoder().decode(StatusJSON.self, from: Data(try run(["auth", "status", "--json"]).stdout.utf8))
        // The token was issued during the login: its age is at most the time since the login began
        // (a fixed bound would fail when a loaded machine keeps the test waiting between the two runs).
        let sinceLogin = Int(Date().timeIntervalSince(loginStarted).rounded(.up))
        #expect(statusJSON.users.map(\.user) == ["moosicdemo"])
        #expect((0...sinceLogin).contains(statusJSON.users[0].token_age_seconds), "age \(statusJSON.users[0].token_age_seconds) s, login began \(sinceLogin) s ago")
        #expect(statusJSON.users[0].expires_in_seconds > 3000)

        let first = try run(["library", "sync", "--user", "moosicdemo", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstReport = try JSONDecoder().decode(SyncJSON.self, from: Data(first.stdout.utf8))
        #expect(firstReport.fetched == 4 && firstReport.followed == 2 && firstReport.liked == 151)
        #expect(firstReport.requests == 14)

        emulator.clearLog()
        let again = try run(["library", "sync", "--user", "moosicdemo", "--json"])
        let againReport = try JSONDecoder().decode(SyncJSON.self, from: Data(again.stdout.utf8))
        #expect(againReport.fetched == 0 && againReport.unchanged == 4)
        #expect(againReport.requests == 6)
        #expect(emulator.requests.filter { $0.path.hasSuffix("/items") }.isEmpty)

        // A 429 with Retry-After: 1 is really waited out; a 500 is retried; an expired token refreshed.
        emulator.expireAccessTokens()
        emulator.inject(.rateLimit(retryAfter: 1), path: "/v1/me/tracks")
        emulator.inject(.serverError(status: 500), path: "/v1/me")
        let started = Date()
        let patient = try run(["library", "sync", "--user", "moosicdemo"])
        #expect(patient.status == 0, "\(patient.stderr)")
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(patient.stdout.contains("151 liked songs"))
        #expect(emulator.issuedTokens.count == 3) // the login's two, the refreshed access token

        // Beyond the wait budget: exit 75 at once, saying how long Spotify asked for.
        emulator.inject(.rateLimit(retryAfter: 500), path: "/v1/me/playlists")
        let impatient = try run(["library", "sync", "--user", "moosicdemo"])
        #expect(impatient.status == 75)
        #expect(impatient.stderr.hasPrefix("moosic: error: ") && impatient.stderr.contains("asked to wait 500 s"))

        // Revoked: exit 77, told to log in again, nothing written.
        let syncedAt = try lastSync()
        emulator.expireAccessTokens()
        emulator.revokeRefreshTokens()
        let revoked = try run(["library", "sync", "--user", "moosicdemo"])
        #expect(revoked.status == 77)
        #expect(revoked.stderr.contains("run `moosic auth login` again"))
        #expect(revoked.stderr.split(separator: "\n").count == 1)
        #expect(try lastSync() == syncedAt)

        // No token in any output, nor in any file of MOOSIC_HOME but the token store.
        let tokens = emulator.issuedTokens
        #expect(tokens.count >= 3)
        for output in outputs {
            for token in tokens {
                #expect(!output.stdout.contains(token) && !output.stderr.contains(token))
            }
        }
        let files = FileManager.default.enumerator(at: home, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        #expect(files.contains { $0.lastPathComponent == "moosic.sqlite" })
        let stored = try String(contentsOf: tokenFile, encoding: .utf8)
        #expect(tokens.contains { stored.contains($0) })
        for file in files where file.lastPathComponent != "spotify-tokens.json" {
            let bytes = try Data(contentsOf: file)
            for token in tokens { #expect(bytes.range(of: Data(token.utf8)) == nil, "\(file.lastPathComponent)") }
        }

        let logout = try run(["auth", "logout", "--user", "moosicdemo"])
        #expect(logout.status == 0)
        #expect(try run(["auth", "status"]).stdout == "nobody is logged in: run `moosic auth login`\n")
        #expect(try run(["auth", "logout", "--user", "moosicdemo"]).status == 77)
    }

    struct WriteJSON: Decodable { var id: String; var created: Bool; var track_count: Int }

    @Test func writesCreateReplaceInBatchesAndARunCutOffIsRepairedByTheNext() async throws {
        var outputs: [CLIRunner.Result] = [try await login()]
        #expect(outputs[0].status == 0)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        func write(_ uris: [String], description: String = "moosic · happy (0.80) · 2026-11-22") throws -> CLIRunner.Result {
            let file = home.appendingPathComponent("uris-\(UUID().uuidString).txt")
            try Data(uris.joined(separator: "\n").utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try cli.run(["playlist", "write", "--user", "moosicdemo", "--name", "moosic for moosicdemo",
                                      "--description", description, "--uris-file", file.path, "--json"],
                                     environment: emulator.environment)
            outputs.append(result)
            return result
        }
        let tracks = emulator.fixtureTrackURIs

        // First write: one new playlist.
        let first = try write(Array(tracks[0..<30]))
        #expect(first.status == 0, "\(first.stderr)")
        let made = try JSONDecoder().decode(WriteJSON.self, from: Data(first.stdout.utf8))
        #expect(made.created && made.track_count == 30)
        #expect(emulator.createdPlaylists().map(\.uris) == [Array(tracks[0..<30])])

        // Second write, 250 tracks: the same playlist, replaced (not appended) in 3 batches.
        emulator.clearLog()
        let big = Array(tracks[40..<290])
        let second = try write(big, description: "moosic · sad (0.30) · 2026-11-23")
        #expect(second.status == 0, "\(second.stderr)")
        let replaced = try JSONDecoder().decode(WriteJSON.self, from: Data(second.stdout.utf8))
        #expect(!replaced.created && replaced.id == made.id)
        #expect(emulator.requests.filter { $0.method == "PUT" && $0.path.hasSuffix("/items") }.count == 1)
        #expect(emulator.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/items") }.count == 2)
        #expect(emulator.createdPlaylists().map(\.uris) == [big])
        #expect(emulator.createdPlaylists().first?.description == "moosic · sad (0.30) · 2026-11-23")

        // A connection dropped after Spotify applied a batch: repaired within the run.
        emulator.inject(.dropAfterApplying, method: "POST", path: "/v1/playlists/*")
        let dropped = try write(Array(tracks[100..<260]))
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(emulator.createdPlaylists().map(\.uris) == [Array(tracks[100..<260])])

        // The user deleted the playlist; the run that makes a new one is cut off: the creation is
        // applied, its answer lost, and Spotify then rate-limits for longer than the run may wait.
        emulator.deletePlaylist(made.id)
        emulator.clearLog()
        emulator.inject(.dropAfterApplying, method: "POST", path: "/v1/me/playlists")
        emulator.inject(.rateLimit(retryAfter: 3600), method: "GET", path: "/v1/me/playlists")
        let cut = try write(Array(tracks[0..<120]))
        #expect(cut.status == 75)
        #expect(cut.stderr.contains("asked to wait 3600 s"))
        let clean = try write(Array(tracks[0..<120]), description: "moosic · happy (0.90) · 2026-11-24")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(emulator.createdPlaylists().map(\.uris) == [Array(tracks[0..<120])])
        #expect(emulator.requests.filter { $0.method == "POST" && $0.path == "/v1/me/playlists" }.count == 1)
        let adopted = try JSONDecoder().decode(WriteJSON.self, from: Data(clean.stdout.utf8))
        #expect(adopted.id == emulator.createdPlaylists().first?.id)

        // A revoked login: 77, and the playlist and the store are as they were.
        let storedBefore = try Store(environment: MoosicEnvironment(home: home)).generatedPlaylistTracks(user: "moosicdemo")
        emulator.expireAccessTokens()
        emulator.revokeRefreshTokens()
        let revoked = try write(Array(tracks[0..<10]))
        #expect(revoked.status == 77)
        #expect(revoked.stderr.contains("run `moosic auth login` again"))
        #expect(emulator.createdPlaylists().map(\.uris) == [Array(tracks[0..<120])])
        #expect(try Store(environment: MoosicEnvironment(home: home)).generatedPlaylistTracks(user: "moosicdemo") == storedBefore)

        let tokens = emulator.issuedTokens
        for output in outputs {
            for token in tokens { #expect(!output.stdout.contains(token) && !output.stderr.contains(token)) }
        }
    }

    @Test func offlineWriteGoesToTheStore() throws {
        let result = try cli.run(["playlist", "write", "--user", "moosicdemo", "--name", "moosic", "--offline", "--json",
                                  "spotify:track:5SuOikwiRyPMVoIQDJUgSV"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"id\":\"local:moosicdemo\""))
        #expect(try cli.run(["playlist", "write", "--user", "moosicdemo", "--name", "m", "--offline", "spotify:episode:x"]).status == 65)
    }

    @Test func loginWithoutAClientIdExits78SayingWhatToRegister() throws {
        var environment = emulator.environment
        environment["MOOSIC_CLIENT_ID"] = ""
        let result = try cli.run(["auth", "login", "--no-browser", "--port", "8765"], environment: environment)
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix("moosic: error: no Spotify client id"))
        #expect(result.stderr.contains("http://127.0.0.1:8765/callback"))
        #expect(emulator.requests.isEmpty)
    }

    @Test func syncWithoutALoginExits77() throws {
        let result = try cli.run(["library", "sync", "--user", "moosicdemo"], environment: emulator.environment)
        #expect(result.status == 77)
        #expect(result.stderr.contains("moosic auth login"))
    }

    @Test func offlineSyncReadsTheFixtureLibrary() throws {
        let result = try cli.run(["library", "sync", "--user", "moosicdemo", "--offline", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(SyncJSON.self, from: Data(result.stdout.utf8))
        #expect(report.fetched == 4 && report.liked == 151 && report.items == 302)
        #expect(try cli.run(["library", "sync", "--user", "nobody", "--offline"]).status == 66)
    }
}
