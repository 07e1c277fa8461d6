import Foundation
import FeaturesEmulator
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicFeatures
@testable import MoosicStore

/// Waits without waiting, remembering what it was asked to wait.
actor InstantSleeper: Sleeper {
    private(set) var waits: [TimeInterval] = []
    func sleep(seconds: TimeInterval) async throws { waits.append(seconds) }
}

func features(_ value: Double) -> AudioFeatures {
    AudioFeatures(danceability: value, energy: value, key: 5, loudness: -7, mode: 1, speechiness: 0.05,
                  acousticness: 1 - value, instrumentalness: 0, liveness: 0.1, valence: value, tempo: 118)
}

/// A Spotify-looking id for test track `n`.
func spotifyID(_ n: Int) -> String {
    let digits = String(n)
    return "Feat" + String(repeating: "0", count: 18 - digits.count) + digits
}

/// The real client, the real store (in memory) and the loopback features service.
struct FeaturesHarness {
    let emulator: FeaturesEmulator
    let store: Store
    let sleeper = InstantSleeper()
    let user = "listener"

    /// A library of `count` tracks of which the service knows those `known` says.
    init(count: Int, known: (Int) -> Bool = { $0 % 4 != 0 }) throws {
        var table: [String: AudioFeatures] = [:]
        for i in 0..<count where known(i) { table[spotifyID(i)] = features(Double(i % 10) / 10) }
        emulator = try FeaturesEmulator(known: table)
        store = try Store()
        let liked = (0..<count).map { (track: LibraryTrack(id: spotifyID($0), name: "Song \($0)", artists: "Nobody \($0)"), addedAt: String?.none) }
        try store.saveLibrary(SyncedLibrary(user: user, displayName: nil, syncedAt: Date(), playlists: [], liked: liked))
    }

    func client(timeout: TimeInterval = 10, waitBudget: TimeInterval = 30) -> FeaturesClient {
        FeaturesClient(configuration: FeaturesConfiguration(
            baseURL: emulator.baseURL,
            retryPolicy: RetryPolicy(service: "the features service", waitBudget: waitBudget, maxTries: 3, backoffBase: 0.01),
            requestTimeout: timeout), sleeper: sleeper)
    }

    func backfill(now: Date = Date(), timeout: TimeInterval = 10, waitBudget: TimeInterval = 30) async throws -> FeatureBackfillReport {
        try await FeatureBackfill(library: StoredLibrary(listeners: store), cache: store, client: client(timeout: timeout, waitBudget: waitBudget),
                                  now: { now }).backfill(user: user)
    }

    /// The cache is sound: integrity ok, nothing out of range.
    func expectSoundCache(_ comment: Comment? = nil) throws {
        let state = try store.featureCacheState()
        #expect(state.integrity == "ok", comment)
        #expect(state.outOfRange == 0, comment)
    }
}

@Suite struct FeaturesClientTests {
    @Test func knownIdsComeBackByTheirHrefAndUnknownOnesAreMissing() async throws {
        let h = try FeaturesHarness(count: 4)
        let answer = try await h.client().features(ids: [spotifyID(0), spotifyID(1), spotifyID(2)])
        #expect(Set(answer.found.keys) == [spotifyID(1), spotifyID(2)])
        #expect(answer.found[spotifyID(1)] == features(0.1))
        #expect(answer.missing == [spotifyID(0)])
        #expect(h.emulator.requests == [FeaturesEmulator.Request(path: "/v1/audio-features", ids: [spotifyID(0), spotifyID(1), spotifyID(2)])])
    }

    @Test func aBackfillAsksInBatchesOfAtMost40OnceAndNeverAgainForAKnownTrack() async throws {
        let h = try FeaturesHarness(count: 95)
        let first = try await h.backfill()
        #expect(first.wanted == 95 && first.asked == 95 && first.requests == 3 && first.notes.isEmpty)
        #expect(first.found == 71 && first.missing == 24 && first.notAsked == 0)
        #expect(h.emulator.requests.map(\.ids.count) == [40, 40, 15])
        #expect(h.emulator.oversizedRequests == 0)
        #expect(try h.store.featureCacheState().found == 71)
        #expect(try h.store.cachedFeatures(track: spotifyID(3)) == features(0.3))

        h.emulator.clearLog()
        let again = try await h.backfill()
        #expect(again.wanted == 0 && again.requests == 0)
        #expect(h.emulator.requests.isEmpty)

        // A miss is believed for 30 days, then asked for again; found tracks never are.
        let later = try await h.backfill(now: Date().addingTimeInterval(FeatureBackfill.missRetryAge + 3600))
        #expect(later.wanted == 24 && later.requests == 1)
        #expect(h.emulator.requests.map(\.ids).flatMap { $0 }.allSatisfy { Int($0.dropFirst(4))! % 4 == 0 })
        try h.expectSoundCache()
    }

    @Test func aRateLimitWithinTheBudgetIsWaitedOut() async throws {
        let h = try FeaturesHarness(count: 10)
        h.emulator.inject(.rateLimit(retryAfter: 2))
        let report = try await h.backfill()
        #expect(report.found == 7 && report.notes.isEmpty && report.requests == 2)
        #expect(await h.sleeper.waits == [2])
    }

    @Test func faultsEndTheBackfillWithANoteAndNothingGarbageStored() async throws {
        let cases: [(FeaturesEmulator.Fault, Int, String)] = [
            (.rateLimit(retryAfter: 3600), 1, "rate-limiting moosic"),
            (.serverError(status: 503), 3, "answered 503"),
            (.dropConnection, 3, "GET /v1/audio-features, 3 tries"),
            (.malformedBody, 1, "not {\"content\":[…]}"),
            (.truncatedBody, 1, "not {\"content\":[…]}"),
        ]
        for (fault, times, message) in cases {
            let h = try FeaturesHarness(count: 50)
            h.emulator.inject(fault, times: times)
            let report = try await h.backfill()
            #expect(report.notes.count == 1, "\(fault)")
            #expect(report.notes.first?.contains(message) == true, "\(fault): \(report.notes)")
            #expect(report.notes.first?.contains("50 of 50 library tracks without features this run") == true, "\(fault)")
            #expect(report.found == 0 && report.notAsked == 50, "\(fault)")
            #expect(try h.store.featureCacheState().found == 0 && h.store.featureCacheState().misses == 0, "\(fault)")
            try h.expectSoundCache("\(fault)")
            // Nothing was remembered: the next sync asks again, and gets them.
            let next = try await h.backfill()
            #expect(next.found == 37 && next.notes.isEmpty, "\(fault)")
        }
    }

    @Test func aDroppedConnectionOrA5xxIsTriedAgain() async throws {
        let h = try FeaturesHarness(count: 10)
        h.emulator.inject(.dropConnection)
        h.emulator.inject(.serverError(status: 502))
        let report = try await h.backfill()
        #expect(report.found == 7 && report.notes.isEmpty && report.requests == 3)
    }

    @Test func anItemWithOutOfRangeValuesIsRejectedAndRememberedAsAMiss() async throws {
        let h = try FeaturesHarness(count: 10)
        h.emulator.inject(.outOfRangeItem)
        let report = try await h.backfill()
        #expect(report.rejected == 1 && report.found == 6)
        #expect(report.notes == ["audio features: the features service sent 1 item(s) with values outside the catalog's ranges; they were not stored"])
        #expect(try h.store.cachedFeatures(track: spotifyID(1)) == nil)
        #expect(try h.store.featureCacheState().misses == 4)
        try h.expectSoundCache()
    }

    @Test func aSlowAnswerBeyondTheTimeoutIsAFailedConnection() async throws {
        let h = try FeaturesHarness(count: 10)
        h.emulator.inject(.slow(seconds: 1.5), times: 3)
        let report = try await h.backfill(timeout: 0.4)
        #expect(report.notes.count == 1 && report.notAsked == 10, "\(report.notes)")
        let h2 = try FeaturesHarness(count: 10)
        h2.emulator.inject(.slow(seconds: 0.3))
        #expect(try await h2.backfill(timeout: 5).found == 7)
    }

    @Test func answersAreReadLeniently() throws {
        let a = spotifyID(1), b = spotifyID(2), c = spotifyID(3), d = spotifyID(4)
        func item(_ id: String, energy: String = "0.5", key: String = "3") -> String {
            """
            {"id":"x","href":"https://open.spotify.com/track/\(id)","acousticness":0.1,"danceability":0.2,"energy":\(energy),\
            "instrumentalness":0,"key":\(key),"liveness":0.1,"loudness":-6.5,"mode":1,"speechiness":0.04,"tempo":120.5,"valence":0.3}
            """
        }
        let body = """
            {"content":[\(item(a)),\(item(a, energy: "0.9")),\(item(b, energy: "true")),\(item(c, key: "2.5")),\
            \(item(spotifyID(9))),{"href":"https://open.spotify.com/album/\(d)"},17]}
            """
        let answer = try FeaturesClient.parse(Data(body.utf8), asked: [a, b, c, d])
        #expect(Set(answer.found.keys) == [a])
        #expect(answer.found[a]?.energy == 0.5)
        #expect(Set(answer.rejected) == [b, c])
        #expect(answer.missing == [d])
        #expect(throws: MoosicError.self) { try FeaturesClient.parse(Data("{\"data\":[]}".utf8), asked: [a]) }
        #expect(FeaturesClient.spotifyID(href: "https://open.spotify.com/track/\(a)?si=1") == a)
        #expect(FeaturesClient.spotifyID(href: "https://example.com/track/\(a)") == nil)
    }

    @Test func theServiceIsConfiguredByMOOSIC_FEATURES_URL() throws {
        #expect(try FeaturesConfiguration.resolve([:]).baseURL == FeaturesConfiguration.defaultURL)
        #expect(try FeaturesConfiguration.resolve(["MOOSIC_FEATURES_URL": ""]).baseURL == nil)
        #expect(try FeaturesConfiguration.resolve(["MOOSIC_FEATURES_URL": "http://127.0.0.1:9/v1/"]).baseURL?.absoluteString == "http://127.0.0.1:9/v1")
        #expect(throws: MoosicError.configuration("MOOSIC_FEATURES_URL is not an http(s) URL: ftp://x (empty turns the features service off)")) {
            try FeaturesConfiguration.resolve(["MOOSIC_FEATURES_URL": "ftp://x"])
        }
        #expect(FeaturesConfiguration(batchSize: 100).batchSize == 40)
    }
}
