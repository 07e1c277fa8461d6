import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicApp

/// An installation with its state in `home` and nothing else set.
func scratchInstallation(home: URL) -> Installation {
    Installation(environment: ["MOOSIC_HOME": home.path], fileValues: [:],
                 settingsFile: home.deletingLastPathComponent().appendingPathComponent("config.toml"))
}

@Suite struct NightlyRefreshTests {
    @Test func theLockIsPerUserAndNamedFromSafeCharacters() {
        let environment = MoosicEnvironment(home: URL(fileURLWithPath: "/h"))
        #expect(NightlyRefresh.lockURL(user: "ann.b_c-1", environment: environment).path == "/h/refresh-ann.b_c-1.lock")
        #expect(NightlyRefresh.lockURL(user: "../x y;z", environment: environment).path == "/h/refresh-..xyz.lock")
    }

    @Test func aRefreshWhileAnotherHoldsTheLockIsTemporaryAndLeavesNoRecord() async throws {
        let dir = try TemporaryDirectory()
        let installation = scratchInstallation(home: dir.url.appendingPathComponent("home"))
        let environment = installation.environment
        try environment.prepareHome()
        let held = try FileLock(path: NightlyRefresh.lockURL(user: "u", environment: environment).path, busyMessage: "held")
        await #expect(throws: MoosicError.temporary("another refresh is running for u")) {
            try await NightlyRefresh.run(user: "u", photo: nil, options: RankingOptions(size: 5), offline: true,
                                         installation: installation)
        }
        withExtendedLifetime(held) {}
        #expect(!FileManager.default.fileExists(atPath: environment.storeURL.path))
    }

    @Test func aFailedRunIsRecordedWithItsMessage() async throws {
        let dir = try TemporaryDirectory()
        let installation = scratchInstallation(home: dir.url.appendingPathComponent("home"))
        let environment = installation.environment
        let missing = dir.url.appendingPathComponent("nope.jpg").path
        await #expect(throws: MoosicError.fileMissing(path: missing)) {
            try await NightlyRefresh.run(user: "u", photo: missing, options: RankingOptions(size: 5), offline: true,
                                         installation: installation)
        }
        let runs = try Store(environment: environment).refreshRuns(user: "u")
        #expect(runs.map(\.outcome) == ["failed"])
        #expect(runs.map(\.message) == ["no such file: \(missing)"])
    }
}

@Suite struct StandardPipelineFaceModelTests {
    @Test func aRefreshFromTheStoredMoodDoesNotLoadTheFaceModel() async throws {
        let dir = try TemporaryDirectory()
        let installation = scratchInstallation(home: dir.url.appendingPathComponent("home"))
        let store = try Store(environment: installation.environment)
        let pipeline = try StandardPipeline.make(store: store, installation: installation, user: fixtureUser, offline: true,
                                                 readsPhoto: false)
        let reader = try #require(pipeline.moodReader as? FaceMoodOnDemand)
        let result = try await pipeline.run(RecommendRequest(user: fixtureUser, mood: .history, options: RankingOptions(size: 5),
                                                             dryRun: true))
        #expect(result.picks.count == 5)
        #expect(!reader.isLoaded)
        // Asked for a photo after all, it loads the model then.
        let photo = repositoryRoot.appendingPathComponent("Fixtures/photos/happy-1.jpg").path
        #expect(try reader.readMood(photo: photo).score > 0.5)
        #expect(reader.isLoaded)
    }

    @Test func aMissingFaceModelIsStillAConfigurationErrorUpFront() throws {
        let dir = try TemporaryDirectory()
        let models = dir.url.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        var environment = MoosicEnvironment(home: dir.url.appendingPathComponent("home"))
        environment.modelsDirectory = models
        #expect(throws: MoosicError.self) { try FaceMoodOnDemand(environment: environment) }
    }
}
