import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicApp

/// `moosic doctor`: each broken case gives its fail line (and exit 78); warnings do not fail.
@Suite struct DoctorTests {
    let dir: TemporaryDirectory
    let environment: MoosicEnvironment
    let now = Date(timeIntervalSince1970: 1_800_000_000) // 2027-01-15

    init() throws {
        dir = try TemporaryDirectory()
        environment = MoosicEnvironment(home: dir.url.appendingPathComponent("home"))
        try environment.prepareHome()
    }

    func doctor(_ variables: [String: String] = ["MOOSIC_CLIENT_ID": "app1"], user: String? = nil, offline: Bool = false,
                probe: @escaping @Sendable (URL) async -> String? = { _ in nil },
                crontab: [String] = []) -> Doctor {
        Doctor(environment: environment, variables: variables, user: user, offline: offline, now: now, probe: probe,
               crontab: { .lines(crontab) })
    }

    func login(_ user: String = "ann", daysAgo: Double, clientID: String = "app1",
               scope: String = SpotifyConfiguration.scopes.joined(separator: " ")) throws {
        let at = now.addingTimeInterval(-daysAgo * 86_400)
        try TokenStore(environment: environment).save(SpotifyTokens(
            userID: user, displayName: nil, clientID: clientID, accessToken: "a", refreshToken: "r",
            expiresAt: at.addingTimeInterval(3600), scope: scope, issuedAt: at, loggedInAt: at))
    }

    func only(_ checks: [DoctorCheck], _ name: String) throws -> DoctorCheck {
        try #require(checks.first { $0.name == name }, "no check \(name) in \(checks.map(\.name))")
    }

    // MARK: client id and logins

    @Test func noClientIDFailsOnlineAndWarnsOffline() {
        let online = doctor([:]).clientID()
        #expect(online.status == .fail)
        #expect(online.message.contains("MOOSIC_CLIENT_ID is not set"))
        #expect(online.fix?.contains("developer.spotify.com") == true)
        #expect(Doctor.exitCode([online]) == 78)
        #expect(doctor([:], offline: true).clientID().status == .warn)
        #expect(doctor().clientID().status == .ok)
    }

    @Test func aLoginOlderThanSixMonthsFails() throws {
        try login(daysAgo: 190)
        let check = try only(doctor().loginChecks(), "login ann")
        #expect(check.status == .fail)
        #expect(check.message.contains("ran out on"))
        #expect(check.fix == "moosic auth login (as ann)")
        #expect(Doctor.exitCode([check]) == 78)
    }

    @Test func aLoginWithinTwoWeeksOfSixMonthsWarnsAndAYoungOneIsOK() throws {
        try login("old", daysAgo: 175)
        try login("new", daysAgo: 20)
        let checks = doctor().loginChecks()
        #expect(try only(checks, "login old").status == .warn)
        #expect(try only(checks, "login old").message.contains("day(s)"))
        #expect(try only(checks, "login new").status == .ok)
        #expect(Doctor.exitCode(checks) == 0)
    }

    @Test func aMissingScopeFails() throws {
        try login(daysAgo: 3, scope: "user-read-private playlist-read-private")
        let check = try only(doctor().loginChecks(), "scopes ann")
        #expect(check.status == .fail)
        #expect(check.message.contains("user-library-read"))
        #expect(check.message.contains("playlist-modify-private"))
    }

    @Test func aLoginThroughAnotherAppFails() throws {
        try login(daysAgo: 3, clientID: "otherapp")
        let check = try only(doctor().loginChecks(), "login ann")
        #expect(check.status == .fail)
        #expect(check.message.contains("otherapp"))
        #expect(check.fix?.contains("MOOSIC_CLIENT_ID=otherapp") == true)
    }

    @Test func noLoginForTheUserFailsOnline() throws {
        try login("ann", daysAgo: 3)
        #expect(try only(doctor(user: "bob").loginChecks(), "login bob").status == .fail)
        #expect(try only(doctor(user: "bob", offline: true).loginChecks(), "login bob").status == .warn)
        #expect(try only(doctor([:]).loginChecks(), "login ann").status == .ok)
    }

    @Test func unreadableLoginsFail() throws {
        try Data("{not json".utf8).write(to: environment.home.appendingPathComponent("spotify-tokens.json"))
        let check = try only(doctor().loginChecks(), "logins")
        #expect(check.status == .fail)
        #expect(check.message.contains("unreadable"))
    }

    // MARK: store and catalog

    @Test func noStoreYetIsAWarningAndMakesNoStore() {
        let (check, store) = doctor().openStore()
        #expect(check.status == .warn)
        #expect(store == nil)
        #expect(!FileManager.default.fileExists(atPath: environment.storeURL.path))
    }

    @Test func aFileThatIsNoDatabaseFails() throws {
        try Data(repeating: 0x41, count: 8192).write(to: environment.storeURL)
        let (check, store) = doctor().openStore()
        #expect(check.status == .fail)
        #expect(check.message.contains(environment.storeURL.path))
        #expect(store == nil)
        #expect(Doctor.exitCode([check]) == 78)
    }

    @Test func aStoreWithADamagedPageFailsQuickCheck() throws {
        do {
            let store = try Store(environment: environment)
            let lines = (0..<2000).map { catalogLine(id: String(format: "%022d", $0), genre: "g\($0 % 7)") }
            let file = try dir.write("c.csv", ([catalogHeader] + lines).joined(separator: "\n"))
            _ = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        }
        // Checkpoint the WAL into the file, then damage an index page in the middle of it.
        let wal = URL(fileURLWithPath: environment.storeURL.path + "-wal")
        #expect(try Store(environment: environment).integrityProblems().isEmpty)
        _ = try? FileManager.default.removeItem(at: wal)
        var bytes = try [UInt8](Data(contentsOf: environment.storeURL))
        let pageSize = 4096
        let pages = bytes.count / pageSize
        try #require(pages > 8)
        for page in (pages / 2)..<(pages / 2 + 3) {
            for i in (page * pageSize + 8)..<(page * pageSize + pageSize) { bytes[i] = 0xFF }
        }
        try Data(bytes).write(to: environment.storeURL)
        let (check, _) = doctor().openStore()
        #expect(check.status == .fail, "\(check)")
        #expect(check.fix?.contains("move") == true)
    }

    @Test func anEmptyCatalogFailsOnlineAndWarnsOffline() throws {
        let store = try Store(environment: environment)
        let model = try #require(try SongEmotion.installedModel(environment))
        #expect(doctor().catalog(store: store, emotionModel: model).status == .fail)
        #expect(doctor(offline: true).catalog(store: store, emotionModel: model).status == .warn)
    }

    @Test func aCatalogScoredByAnotherModelWarnsAndOneScoredByTheCurrentModelIsOK() throws {
        let store = try Store(environment: environment)
        let file = try dir.write("c.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV")].joined(separator: "\n"))
        _ = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        let model = try #require(try SongEmotion.installedModel(environment))
        let stale = doctor().catalog(store: store, emotionModel: model)
        #expect(stale.status == .warn)
        #expect(stale.message.contains("1 of them not scored"))
        _ = try store.refreshEmotionScores(model: model)
        #expect(doctor().catalog(store: store, emotionModel: model).status == .ok)
    }

    // MARK: models

    @Test func aBrokenOrMissingModelFails() throws {
        let models = dir.url.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: models.appendingPathComponent(SongEmotionModel.fileName))
        var broken = environment
        broken.modelsDirectory = models
        let (checks, emotionModel) = Doctor(environment: broken, variables: [:], now: now, crontab: { .lines([]) }).models()
        #expect(emotionModel == nil)
        #expect(checks.map(\.status) == [.fail, .fail, .fail])
        #expect(try only(checks, "genre model").message.contains("genre_forest.rf not found"))
        #expect(Doctor.exitCode(checks) == 78)
    }

    @Test func theShippedModelsLoad() {
        let (checks, emotionModel) = doctor().models()
        #expect(checks.map(\.status) == [.ok, .ok, .ok], "\(checks)")
        #expect(emotionModel != nil)
    }

    // MARK: services

    @Test func anUnreachableSpotifyFailsAndAnUnreachableFeaturesServiceWarns() async {
        let down = doctor(probe: { _ in "connection refused" })
        let spotify = await down.spotifyAPI()
        #expect(spotify.status == .fail)
        #expect(spotify.message.contains("https://api.spotify.com/v1 does not answer (connection refused)"))
        #expect(await down.features().status == .warn)
        #expect(await doctor().spotifyAPI().status == .ok)
    }

    @Test func theServicesAreSkippedOfflineAndTheFeaturesServiceWhenTurnedOff() async {
        let probed = ProbeLog()
        let offline = doctor(offline: true, probe: { await probed.add($0); return "must not be asked" })
        #expect(await offline.spotifyAPI().status == .skip)
        #expect(await offline.features().status == .skip)
        let off = doctor(["MOOSIC_FEATURES_URL": ""], probe: { await probed.add($0); return nil })
        #expect(await off.features().status == .skip)
        #expect(await probed.urls.isEmpty)
        let on = doctor(["MOOSIC_FEATURES_URL": "http://127.0.0.1:9/v1"], probe: { await probed.add($0); return nil })
        #expect(await on.features().status == .ok)
        #expect(await probed.urls == [URL(string: "http://127.0.0.1:9/v1")!])
    }

    @Test func aFeaturesURLThatIsNoURLFails() async {
        #expect(await doctor(["MOOSIC_FEATURES_URL": "ftp:/x"]).features().status == .fail)
    }

    @Test func theReachabilityProbeCountsAnyAnswerAndNamesAFailure() async throws {
        struct Answering: HTTPTransport { func send(_ r: HTTPRequest) async throws -> HTTPResponse { HTTPResponse(status: 401) } }
        struct Refusing: HTTPTransport { func send(_ r: HTTPRequest) async throws -> HTTPResponse { throw MoosicError.temporary("cannot reach x: refused") } }
        let url = URL(string: "https://api.spotify.com/v1")!
        #expect(await ServiceProbe.reachability(of: url, transport: Answering()) == nil)
        #expect(await ServiceProbe.reachability(of: url, transport: Refusing()) == "cannot reach x: refused")
    }

    // MARK: cron

    @Test func aCronLineWhoseBinaryIsGoneFails() throws {
        let line = "30 4 * * * MOOSIC_HOME=\(environment.home.path) MOOSIC_CLIENT_ID=app1 /nowhere/bin/moosic refresh --user ann >> /tmp/log 2>&1"
        let checks = doctor(crontab: ["# m h dom mon dow command", line]).cron()
        let check = try only(checks, "cron ann")
        #expect(check.status == .fail)
        #expect(check.message.contains("/nowhere/bin/moosic, which is not an executable file"))
        #expect(Doctor.exitCode(checks) == 78)
    }

    /// The line `moosic cron --user ann --at 04:30` prints with `variables` as its environment.
    func cronLine(variables: [String: String]) -> String {
        Installation(environment: variables.merging(["MOOSIC_HOME": environment.home.path]) { $1 }, fileValues: [:],
                     settingsFile: environment.home.appendingPathComponent("no-config.toml"))
            .cronLine(user: "ann", at: (4, 30))
    }

    @Test func aCronLineWithoutAClientIDFails() throws {
        let binary = MoosicEnvironment.executableURL.path
        let line = cronLine(variables: [:])
        let moosicLine = line.replacingOccurrences(of: binary, with: try installedLookalike())
        let check = try only(doctor(crontab: [moosicLine]).cron(), "cron ann")
        #expect(check.status == .fail)
        #expect(check.message.contains("MOOSIC_CLIENT_ID"))
    }

    @Test func theLineMoosicCronPrintsIsOK() throws {
        let line = cronLine(variables: ["MOOSIC_CLIENT_ID": "app1"])
            .replacingOccurrences(of: MoosicEnvironment.executableURL.path, with: try installedLookalike())
        let checks = doctor(user: "ann", crontab: ["MAILTO=x", line, "0 1 * * * /usr/bin/other refresh --user ann"]).cron()
        #expect(checks.count == 1)
        #expect(try only(checks, "cron ann").status == .ok)
        #expect(try only(checks, "cron ann").message.hasPrefix("30 4 * * * "))
    }

    @Test func noCronLineWarnsAndAMissingCrontabCommandWarns() {
        let none = doctor(user: "ann", crontab: ["0 1 * * * /usr/bin/other"]).cron()
        #expect(none.map(\.status) == [.warn])
        #expect(none.first?.fix == "(crontab -l 2>/dev/null; moosic cron --user ann) | crontab -")
        let unavailable = Doctor(environment: environment, variables: ["MOOSIC_CRONTAB": "/nonexistent/crontab"], now: now).cron()
        #expect(unavailable.map(\.status) == [.warn])
    }

    @Test func crontabLinesAreSplitLikeTheShellDoes() throws {
        let line = try #require(Crontab.RefreshLine("5 4 * * * MOOSIC_HOME='/a b/c' MOOSIC_CLIENT_ID=x '/opt/my apps/moosic' refresh --user 'o'\\''b' --offline >> '/a b/log' 2>&1"))
        #expect(line.binary == "/opt/my apps/moosic")
        #expect(line.user == "o'b")
        #expect(line.variables == ["MOOSIC_HOME": "/a b/c", "MOOSIC_CLIENT_ID": "x"])
        #expect(line.offline)
        #expect(line.schedule == "5 4 * * *")
        #expect(Crontab.RefreshLine("# 5 4 * * * /x/moosic refresh --user a") == nil)
    }

    /// An executable named moosic outside the build folder (the checks only look at its path).
    func installedLookalike() throws -> String {
        let bin = dir.url.appendingPathComponent("bin/moosic")
        try FileManager.default.createDirectory(at: bin.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\n".utf8).write(to: bin)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.path)
        return bin.path
    }

    // MARK: refresh runs

    @Test func aFailedLatestRefreshFailsAndAnOlderOneOnlyWarns() throws {
        let store = try Store(environment: environment)
        let first = try store.startRefreshRun(user: "ann", now: now.addingTimeInterval(-7200))
        try store.finishRefreshRun(first, mood: nil, moodSource: nil, trackCount: nil, outcome: "failed",
                                   message: "no Spotify login for ann", now: now.addingTimeInterval(-7100))
        let second = try store.startRefreshRun(user: "ann", now: now.addingTimeInterval(-3600))
        try store.finishRefreshRun(second, mood: 0.7, moodSource: "history", trackCount: 30, outcome: "ok", message: nil,
                                   now: now.addingTimeInterval(-3500))
        #expect(doctor().refreshRuns(store: store).map(\.status) == [.ok, .warn])
        let third = try store.startRefreshRun(user: "ann", now: now.addingTimeInterval(-60))
        try store.finishRefreshRun(third, mood: nil, moodSource: nil, trackCount: nil, outcome: "failed",
                                   message: "Spotify answered 503 four times", now: now)
        let checks = doctor().refreshRuns(store: store)
        #expect(checks.map(\.status) == [.fail, .ok, .warn])
        #expect(checks[0].message.contains("failed: Spotify answered 503 four times"))
        #expect(Doctor.exitCode(checks) == 78)
        #expect(doctor(user: "bob").refreshRuns(store: store).map(\.status) == [.warn])
    }

    // MARK: the whole run

    @Test func aFreshInstallationOfflineHasNoFailure() async {
        let checks = await doctor([:], offline: true).run()
        #expect(Doctor.exitCode(checks) == 0, "\(checks.filter { $0.status == .fail })")
        #expect(checks.map(\.name).starts(with: ["client id", "logins", "store", "catalog", "face model", "emotion model", "genre model",
                                                 "features service", "Spotify API", "cron"]))
    }
}

actor ProbeLog {
    var urls: [URL] = []
    func add(_ url: URL) { urls.append(url) }
}
