import Foundation
import Testing
import TestSupport
import SpotifyEmulator
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct PlaylistWriterTests {
    @Test func theFirstWriteCreatesOnePlaylistAndTheSecondReplacesItsItems() async throws {
        let harness = try await SpotifyHarness()
        let first = try fixtureTrackURIs(30)
        let made = try await harness.write(first)
        #expect(made.created)
        #expect(made.trackCount == 30)
        var playlists = harness.emulator.createdPlaylists()
        #expect(playlists.count == 1)
        #expect(playlists.first?.uris == first)
        #expect(playlists.first?.id == made.id)
        #expect(made.url == "https://open.spotify.com/playlist/\(made.id)")
        #expect(try harness.store.generatedPlaylistID(user: fixtureUser) == made.id)

        let second = try fixtureTrackURIs(20, skip: 100)
        let replaced = try await harness.write(second, description: "moosic · sad (0.21) · 2026-11-23")
        #expect(!replaced.created)
        #expect(replaced.id == made.id)
        playlists = harness.emulator.createdPlaylists()
        #expect(playlists.count == 1)
        #expect(playlists.first?.uris == second)
        #expect(playlists.first?.description == "moosic · sad (0.21) · 2026-11-23")
        #expect(try harness.store.generatedPlaylistTracks(user: fixtureUser) == second.map { String($0.dropFirst(14)) })
    }

    @Test func twoHundredFiftyTracksGoInThreeBatches() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.write(try fixtureTrackURIs(5))
        harness.emulator.clearLog()
        let uris = try fixtureTrackURIs(250)
        _ = try await harness.write(uris)
        #expect(harness.requests("PUT", "/v1/playlists/") == 2) // the items, then the details
        #expect(harness.emulator.requests.filter { $0.method == "PUT" && $0.path.hasSuffix("/items") }.count == 1)
        #expect(harness.emulator.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/items") }.count == 2)
        #expect(harness.emulator.createdPlaylists().first?.uris == uris)
    }

    @Test func aDeletedPlaylistIsMadeAgainButOtherFailuresNeverMakeASecond() async throws {
        let harness = try await SpotifyHarness()
        let made = try await harness.write(try fixtureTrackURIs(3))
        harness.emulator.inject(.serverError(status: 503), method: "GET", path: "/v1/playlists/\(made.id)", times: 4)
        await #expect(throws: MoosicError.temporary("Spotify answered 503 to GET /v1/playlists/\(made.id) (4 tries); try again later")) {
            _ = try await harness.write(try fixtureTrackURIs(4))
        }
        #expect(harness.emulator.createdPlaylists().count == 1)

        harness.emulator.deletePlaylist(made.id)
        let again = try await harness.write(try fixtureTrackURIs(4))
        #expect(again.created)
        #expect(again.id != made.id)
        #expect(harness.emulator.createdPlaylists().map(\.id) == [again.id])
    }

    @Test func aConnectionDroppedWhileAddingItemsIsRepairedInTheSameRun() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.write(try fixtureTrackURIs(10))
        harness.emulator.inject(.dropAfterApplying, method: "POST", path: "/v1/playlists/*", times: 1)
        let uris = try fixtureTrackURIs(250, skip: 20)
        _ = try await harness.write(uris)
        // The lost POST was applied; starting again from the PUT leaves no duplicates.
        #expect(harness.emulator.createdPlaylists().first?.uris == uris)
        // After the client's one backoff (base 0.5 s, jitter up to as much again).
        let waits = await harness.sleeper.waits
        #expect(waits.count == 1 && (0.5...1).contains(waits[0]), "\(waits)")
    }

    @Test func aRunCutOffWhileCreatingIsRepairedByTheNextRun() async throws {
        let harness = try await SpotifyHarness()
        // The creation is applied but its answer lost, and Spotify stays unreachable for the rest of the run.
        harness.emulator.inject(.dropAfterApplying, method: "POST", path: "/v1/me/playlists", times: 1)
        harness.emulator.inject(.serverError(status: 500), method: "GET", path: "/v1/me/playlists", times: 4)
        let uris = try fixtureTrackURIs(120)
        await #expect(throws: MoosicError.temporary("Spotify answered 500 to GET /v1/me/playlists (4 tries); try again later")) {
            _ = try await harness.write(uris)
        }
        #expect(harness.emulator.createdPlaylists().count == 1)
        #expect(harness.emulator.createdPlaylists().first?.uris == [])

        let repaired = try await harness.write(uris)
        let playlists = harness.emulator.createdPlaylists()
        #expect(playlists.count == 1)
        #expect(playlists.first?.id == repaired.id)
        #expect(playlists.first?.uris == uris)
        #expect(harness.requests("POST", "/v1/me/playlists") == 1)
    }

    @Test func writesHonourRateLimitsAndRetryTheIdempotentPut() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.write(try fixtureTrackURIs(5))
        harness.emulator.inject(.rateLimit(retryAfter: 4), method: "POST", path: "/v1/playlists/*")
        harness.emulator.inject(.dropAfterApplying, method: "PUT", path: "/v1/playlists/*")
        harness.emulator.inject(.serverError(status: 500), method: "PUT", path: "/v1/playlists/*")
        let uris = try fixtureTrackURIs(180, skip: 7)
        _ = try await harness.write(uris)
        #expect(harness.emulator.createdPlaylists().map(\.uris) == [uris])
        #expect(await harness.sleeper.waits.contains(4))
    }

    @Test func aRateLimitBeyondTheBudgetStopsTheWriteAtOnce() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.write(try fixtureTrackURIs(5))
        harness.emulator.clearLog()
        harness.emulator.inject(.rateLimit(retryAfter: 3600), method: "POST", path: "/v1/playlists/*", times: 10)
        await #expect(throws: MoosicError.temporary("Spotify is rate-limiting moosic and asked to wait 3600 s, beyond this run's "
                                                    + "wait budget of 120 s; try again in 3600 s")) {
            _ = try await harness.write(try fixtureTrackURIs(150))
        }
        // One PUT, one refused POST: no replay against a rate limit that outlasts the run.
        #expect(harness.emulator.requests.filter { $0.path.hasSuffix("/items") }.count == 2)
        #expect(await harness.sleeper.waits.isEmpty)
    }

    @Test func removedEndpointsAreNeverCalled() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.sync()
        _ = try await harness.write(try fixtureTrackURIs(150))
        _ = try await harness.write(try fixtureTrackURIs(10))
        _ = try await harness.sync()
        let removed = harness.emulator.requests.filter {
            $0.path.hasPrefix("/v1/users/") || $0.path.hasPrefix("/v1/audio-features") || $0.path.hasPrefix("/v1/recommendations")
                || ($0.path.hasPrefix("/v1/playlists/") && $0.path.hasSuffix("/tracks"))
        }
        #expect(removed.isEmpty)
        #expect(harness.emulator.requests.allSatisfy { $0.path.hasPrefix("/v1/") || $0.path.hasPrefix("/accounts/") })
    }

    @Test func offlineWritesGoToTheStoreOnly() async throws {
        let store = try Store()
        let writer = LocalPlaylistWriter(repository: store)
        let first = try await writer.write(user: fixtureUser, name: "moosic", description: "d",
                                           uris: [SpotifyTrackURI(id: "a"), SpotifyTrackURI(id: "b")], mood: 0.4)
        #expect(first.created)
        #expect(first.id == "local:moosicdemo")
        let second = try await writer.write(user: fixtureUser, name: "moosic", description: "d",
                                            uris: [SpotifyTrackURI(id: "c")], mood: 0.4)
        #expect(!second.created)
        #expect(try store.generatedPlaylistTracks(user: fixtureUser) == ["c"])
    }
}
