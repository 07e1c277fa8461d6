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

@Suite struct LibrarySyncTests {
    static let followed = ["w5iLqq6FclX2v5b6GDssOf", "uHb0XtqIaQ6rLjqWWR9kCm"]

    @Test func firstSyncFetchesOwnAndCollaborativePlaylistsAndLikedSongs() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.clearLog()
        let report = try await harness.sync()
        #expect(report.playlists == 6)
        #expect(report.fetched == 4)
        #expect(report.followed == 2)
        #expect(report.forbidden == 0)
        // 120 + 80 + 62 + 42 entries, less Rainy Sundays' local file and episode.
        #expect(report.items == 302)
        #expect(report.skippedEntries == 2)
        #expect(report.liked == 151)
        // me, 1 page of playlists, 3 + 2 + 2 + 1 pages of items, 4 pages of liked songs.
        #expect(report.requests == 14)
        #expect(report.requests == harness.emulator.requests.count)
        for id in Self.followed { #expect(harness.requests("GET", "/v1/playlists/\(id)") == 0) }
        #expect(harness.emulator.requests.allSatisfy { $0.query["limit"] == nil || $0.query["limit"] == "50" })

        let tracks = try harness.store.libraryTracks(user: fixtureUser)
        #expect(tracks.count > 300)
        #expect(!tracks.contains { $0.id.isEmpty })
        #expect(tracks.contains { $0.artists.contains(";") })
        let statuses = Dictionary(grouping: try harness.store.syncedPlaylists(user: fixtureUser).values, by: \.itemsStatus)
            .map { "\($0.key)=\($0.value.count)" }
        #expect(statuses.sorted() == ["followed=2", "synced=4"])
    }

    @Test func anUnchangedResyncFetchesNoPlaylistItems() async throws {
        let harness = try await SpotifyHarness()
        _ = try await harness.sync()
        let tracks = try harness.store.libraryTracks(user: fixtureUser)
        harness.emulator.clearLog()
        let again = try await harness.sync()
        #expect(again.fetched == 0)
        #expect(again.unchanged == 4)
        #expect(again.requests == 6)
        #expect(harness.emulator.requests.filter { $0.path.hasSuffix("/items") }.isEmpty)
        #expect(try harness.store.libraryTracks(user: fixtureUser) == tracks)

        harness.emulator.editPlaylist("dLui5Sw65b9mwnS39598yJ")
        harness.emulator.clearLog()
        let third = try await harness.sync()
        #expect(third.fetched == 1)
        #expect(third.unchanged == 3)
        #expect(third.items == 79)
        #expect(harness.requests("GET", "/v1/playlists/dLui5Sw65b9mwnS39598yJ/items") == 2)
    }

    @Test func a403ForAPlaylistIsCountedNotFatal() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.removeCollaborator(from: "YedLzXqGedVLf2ewN4EXlz")
        let report = try await harness.sync()
        #expect(report.forbidden == 1)
        #expect(report.fetched == 3)
        #expect(report.liked == 151)
    }

    @Test func offlineSyncFromFixturesMatchesTheOnlineOne() async throws {
        let harness = try await SpotifyHarness()
        let online = try await harness.sync()
        let offlineStore = try Store()
        let offline = try await LibrarySync(session: .offline(user: fixtureUser, fixtures: fixtureLibrary), repository: offlineStore)
            .sync(user: fixtureUser)
        #expect(offline.playlists == online.playlists)
        #expect(offline.fetched == online.fetched)
        #expect(offline.items == online.items)
        #expect(offline.liked == online.liked)
        #expect(offline.requests == online.requests)
        #expect(try offlineStore.libraryTracks(user: fixtureUser) == harness.store.libraryTracks(user: fixtureUser))
    }

    @Test func fixtureTransportAnswers403ForPlaylistsWithoutItemFiles() async throws {
        let transport = FixtureTransport(directory: fixtureLibrary)
        let followed = try await transport.send(HTTPRequest(method: "GET",
            url: URL(string: "https://api.spotify.com/v1/playlists/\(Self.followed[0])/items?limit=50&offset=0")!))
        #expect(followed.status == 403)
        let write = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "https://api.spotify.com/v1/me/playlists")!))
        #expect(write.status == 405)
    }

    @Test func rateLimitsAreWaitedOutWithinTheBudget() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.inject(.rateLimit(retryAfter: 7), method: "GET", path: "/v1/me/tracks", times: 2)
        let report = try await harness.sync()
        #expect(report.liked == 151)
        #expect(await harness.sleeper.waits == [7, 7])
    }

    @Test func aRateLimitBeyondTheBudgetIsATemporaryFailureSayingHowLong() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.inject(.rateLimit(retryAfter: 60), path: "/v1/me/tracks", times: 3)
        do {
            _ = try await harness.sync(waitBudget: 100)
            Issue.record("sync went past the wait budget")
        } catch let error as MoosicError {
            guard case .temporary(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("asked to wait 60 s"))
            #expect(message.contains("100 s"))
        }
        #expect(await harness.sleeper.waits == [60])
        #expect(try harness.store.libraryTracks(user: fixtureUser).isEmpty)
    }

    @Test func serverErrorsAreRetriedWithBackoffThenGiveUpAfterFourTries() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.inject(.serverError(status: 502), path: "/v1/me/playlists", times: 3)
        let report = try await harness.sync()
        #expect(report.fetched == 4)
        let waits = await harness.sleeper.waits
        #expect(waits.count == 3)
        // Exponential with jitter: base·2^k … 2·base·2^k.
        for (k, wait) in waits.enumerated() { #expect(wait >= 0.5 * pow(2, Double(k)) && wait <= pow(2, Double(k))) }

        harness.emulator.inject(.serverError(status: 500), path: "/v1/me/tracks", times: 4)
        harness.emulator.clearLog()
        await #expect(throws: MoosicError.temporary("Spotify answered 500 to GET /v1/me/tracks (4 tries); try again later")) {
            _ = try await harness.sync()
        }
        #expect(harness.requests("GET", "/v1/me/tracks") == 4)
    }

    @Test func droppedConnectionsOnReadsAreRetried() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.inject(.dropAfterApplying, path: "/v1/playlists/CchuV0DuNkixRz91tzLXiY/items", times: 2)
        let report = try await harness.sync()
        #expect(report.items == 302)
    }
}
