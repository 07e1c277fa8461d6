import Foundation
import Testing
import TestSupport
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicVision
@testable import MoosicApp

/// The page's backend offline on the fixtures: frames → one mood, preview vs write, the history.
@Suite struct PageBackendTests {
    let dir: TemporaryDirectory
    let backend: PageBackend
    let environment: MoosicEnvironment

    init() throws {
        dir = try TemporaryDirectory()
        let installation = Installation(environment: ["MOOSIC_HOME": dir.url.appendingPathComponent("home").path,
                                                      "MOOSIC_DATA": repositoryRoot.path],
                                        fileValues: [:], settingsFile: dir.url.appendingPathComponent("config.toml"))
        environment = installation.environment
        backend = try PageBackend(installation: installation, user: nil, offline: true)
    }

    func photo(_ name: String) throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/photos/\(name)"))
    }

    @Test func framesAreCombinedAndAFrameWithoutAFaceDoesNotDecide() async throws {
        let mood = try await backend.readMood(frames: [try photo("happy-1.jpg"), try photo("no-face.jpg"), try photo("happy-2.jpg")])
        #expect(mood.frames == 3 && mood.framesWithFace == 2)
        #expect(mood.score > 0.5 && mood.face != nil && mood.frame != 1)
        await #expect(throws: MoosicError.invalidData("no face found in the photo", cause: .noFace)) {
            try await backend.readMood(frames: [try photo("no-face.jpg")])
        }
        await #expect(throws: MoosicError.self) { try await backend.readMood(frames: []) }
        let tooBig = Data(count: FaceMoodReader.maxPhotoBytes + 1)
        await #expect(throws: MoosicError.invalidData("the photo is \(tooBig.count) bytes, more than the limit of \(FaceMoodReader.maxPhotoBytes)",
                                                      cause: .photoTooLarge)) {
            try await backend.readMood(frames: [tooBig])
        }
        // Garbage is the photo's fault, named as the frame, not as a temporary file.
        do {
            _ = try await backend.readMood(frames: [Data("not an image".utf8)])
            Issue.record("garbage was read")
        } catch MoosicError.invalidData(let message, let cause) {
            #expect(message.hasPrefix("cannot use frame 1 as a photo"), "\(message)")
            #expect(cause == .unreadablePhoto)
        }
    }

    /// (Offline the pipeline hardly suspends, so the two writes would rarely interleave even without the
    /// queue; what this pins is the outcome — one playlist, two runs — and the refresh lock.)
    @Test func writesAtOnceRunOneAfterTheOtherAndANightlyRefreshKeepsThePageOut() async throws {
        let backend = self.backend
        let mood = try await backend.readMood(frames: [try photo("happy-2.jpg")])
        async let first = backend.playlist(mood: mood, options: RankingOptions(size: 4), write: true)
        async let second = backend.playlist(mood: mood, options: RankingOptions(size: 6, strategy: .lift), write: true)
        let (a, b) = try await (first, second)
        #expect(a.playlist?.id == b.playlist?.id && Set([a.playlist?.created, b.playlist?.created]) == [true, false])
        #expect(try await backend.history().points.compactMap { $0.playlist?.trackCount }.sorted() == [4, 6])

        let held = try FileLock(path: NightlyRefresh.lockURL(user: "moosicdemo", environment: environment).path, busyMessage: "held")
        await #expect(throws: MoosicError.temporary("a refresh of moosicdemo's playlist is running; try again in a moment")) {
            try await backend.playlist(mood: mood, options: RankingOptions(size: 4), write: true)
        }
        // A preview writes nothing, so it does not need the lock.
        #expect(try await backend.playlist(mood: mood, options: RankingOptions(size: 4), write: false).picks.count == 4)
        withExtendedLifetime(held) {}
        #expect(try await backend.history().points.count == 2)
    }

    @Test func aPreviewWritesNothingAndAWriteIsInTheHistory() async throws {
        #expect(try await backend.status().user == "moosicdemo")
        let mood = try await backend.readMood(frames: [try photo("sad-1.jpg")])
        let preview = try await backend.playlist(mood: mood, options: RankingOptions(size: 8, strategy: .lift), write: false)
        #expect(preview.picks.count == 8 && preview.playlist == nil && preview.cover == nil)
        #expect(try await backend.history().points.isEmpty)
        #expect(try await backend.latestCover() == nil)

        let written = try await backend.playlist(mood: mood, options: RankingOptions(size: 8, strategy: .lift), write: true)
        #expect(written.playlist?.trackCount == 8)
        let history = try await backend.history()
        #expect(history.points.count == 1)
        #expect(history.points[0].playlist?.strategy == "lift" && history.points[0].source == "photo")
        #expect(abs(history.points[0].mood - mood.score) < 0.001)
        let cover = try #require(try await backend.latestCover())
        #expect(cover.path == written.cover?.path)
        #expect(try Store(environment: environment).generatedPlaylistTracks(user: "moosicdemo").count == 8)
    }
}
