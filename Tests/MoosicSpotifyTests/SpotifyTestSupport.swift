import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotifyEmulator
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp


/// Records the waits it is asked for and returns at once.
actor InstantSleeper: Sleeper {
    private(set) var waits: [TimeInterval] = []
    func sleep(seconds: TimeInterval) async throws { waits.append(seconds) }
}

/// An emulator, a scratch MOOSIC_HOME and a store, with the fixture user logged in.
struct SpotifyHarness {
    let emulator: SpotifyEmulator
    let home: TemporaryDirectory
    let environment: MoosicEnvironment
    let store: Store
    let sleeper = InstantSleeper()

    init(login: Bool = true) async throws {
        emulator = try SpotifyEmulator(fixtures: fixtureLibrary)
        home = try TemporaryDirectory()
        environment = MoosicEnvironment(home: home.url.appendingPathComponent("home"))
        try environment.prepareHome()
        store = try Store(environment: environment)
        if login { _ = try await self.login() }
    }

    func configuration(waitBudget: TimeInterval = 120) -> SpotifyConfiguration {
        SpotifyConfiguration(apiURL: emulator.apiURL, accountsURL: emulator.accountsURL, clientID: emulator.clientID,
                             waitBudget: waitBudget)
    }

    /// `moosic auth login` as a library call, the test acting as the browser.
    func login() async throws -> SpotifyTokens {
        let login = SpotifyLogin(configuration: configuration(), environment: environment)
        return try await login.run(port: 0, timeout: 20) { url in
            Task { try? await actAsBrowser(url) }
        }
    }

    func session(waitBudget: TimeInterval = 120, now: @escaping @Sendable () -> Date = { Date() }) throws -> SpotifySession {
        try SpotifySession.forUser(fixtureUser, environment: environment, configuration: configuration(waitBudget: waitBudget),
                                   sleeper: sleeper, now: now)
    }

    func sync(waitBudget: TimeInterval = 120) async throws -> SyncReport {
        try await LibrarySync(session: session(waitBudget: waitBudget), repository: store).sync(user: fixtureUser)
    }

    func write(_ uris: [String], description: String = "moosic · happy (0.83) · 2026-11-22") async throws -> PublishedPlaylist {
        try await PlaylistWriter(session: session(), repository: store)
            .write(user: fixtureUser, name: "moosic for moosicdemo", description: description,
                   uris: try uris.map(SpotifyTrackURI.init(parsing:)), mood: 0.83)
    }

    func requests(_ method: String, _ pathPrefix: String) -> Int {
        emulator.requests.filter { $0.method == method && $0.path.hasPrefix(pathPrefix) }.count
    }
}

/// The browser's part of the login: open the authorize URL, follow the redirect to the callback.
func actAsBrowser(_ url: URL) async throws {
    let (_, response) = try await URLSession.shared.data(from: url)
    guard (response as? HTTPURLResponse)?.statusCode == 200 else {
        throw MoosicError.internalFailure("browser got \((response as? HTTPURLResponse)?.statusCode ?? 0) from \(url)")
    }
}

/// `count` distinct track URIs from the fixture library (fixture ids, so the emulator knows them).
func fixtureTrackURIs(_ count: Int, skip: Int = 0) throws -> [String] {
    var ids: [String] = []
    for name in ["me-tracks-0.json", "me-tracks-50.json", "me-tracks-100.json", "me-tracks-150.json"] {
        let page = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureLibrary.appendingPathComponent(name))) as! [String: Any]
        for entry in page["items"] as! [[String: Any]] {
            ids.append((entry["track"] as! [String: Any])["id"] as! String)
        }
    }
    for folder in try FileManager.default.contentsOfDirectory(atPath: fixtureLibrary.appendingPathComponent("playlists").path).sorted() {
        for file in try FileManager.default.contentsOfDirectory(atPath: fixtureLibrary.appendingPathComponent("playlists/\(folder)").path).sorted() {
            let page = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureLibrary.appendingPathComponent("playlists/\(folder)/\(file)"))) as! [String: Any]
            for entry in page["items"] as! [[String: Any]] {
                if let item = entry["item"] as? [String: Any], item["type"] as? String == "track", let id = item["id"] as? String {
                    ids.append(id)
                }
            }
        }
    }
    var seen = Set<String>()
    let distinct = ids.filter { seen.insert($0).inserted }
    precondition(distinct.count >= skip + count, "the fixture has only \(distinct.count) tracks")
    return distinct[skip..<(skip + count)].map { "spotify:track:\($0)" }
}
