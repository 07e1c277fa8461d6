import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct StoreTests {
    @Test func opensWithWALForeignKeysAndAllMigrations() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(url: directory.url.appendingPathComponent("s.sqlite"))
        let (mode, foreignKeys) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
        #expect(try store.schemaVersions() == ["v1-schema", "v2-spotify", "v2-genres", "v3-arousal", "v3-features", "v3-history", "v4-nights", "v4-genre-probabilities", "v4-artist-genres"])
        let tables = try store.tableSizes().keys
        for table in ["track", "track_genre", "user_profile", "library_playlist", "library_playlist_item",
                      "liked_track", "mood", "generated_playlist", "refresh_run"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateTwice() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("s.sqlite")
        try Store(url: url).ensureUser("u", displayName: nil, now: Date())
        let reopened = try Store(url: url)
        #expect(try reopened.tableSizes()["user_profile"] == 1)
        #expect(try reopened.schemaVersions() == ["v1-schema", "v2-spotify", "v2-genres", "v3-arousal", "v3-features", "v3-history", "v4-nights", "v4-genre-probabilities", "v4-artist-genres"])
    }

    @Test func foreignKeysAreEnforcedAndTheirFailureIsInternal() throws {
        let store = try Store()
        #expect(throws: MoosicError.internalFailure("the store :memory: failed: FOREIGN KEY constraint failed")) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO track_genre (track_id, genre) VALUES ('nope', 'rock')")
            }
        }
    }

    @Test func aWriterThatWaitsPastTheBusyTimeoutIsTemporaryNamingTheStore() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("s.sqlite")
        let holder = try Store(url: url)
        let waiter = try Store(url: url, busyTimeout: 0.1)
        try holder.write { db in
            // The holder's transaction has written, so it holds the write lock until it commits.
            try db.execute(sql: "INSERT INTO user_profile (id, created_at) VALUES ('holder', 'now')")
            #expect(throws: MoosicError.temporary("the store \(url.path) is busy (another moosic is writing); try again")) {
                try waiter.recordMood(user: "holder", score: 0.5, source: "photo", at: Date())
            }
        }
        // Once the holder has committed, the waiter writes.
        try waiter.recordMood(user: "holder", score: 0.5, source: "photo", at: Date())
        #expect(try holder.latestPhotoMood(user: "holder")?.score == 0.5)
    }

    @Test func aFileThatIsNoDatabaseIsACorruptStoreNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("store.sqlite", String(repeating: "not a database, just text. ", count: 200))
        #expect(throws: MoosicError.configuration("the store \(file.path) is corrupt: file is not a database")) {
            _ = try Store(url: file)
        }
    }

    @Test func aStoreDamagedAfterItsHeaderIsCorruptNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("s.sqlite")
        let catalog = (0..<400).map { catalogLine(id: String(format: "%022d", $0)) }
        _ = try CatalogImporter.importFile(at: try directory.write("c.csv", ([catalogHeader] + catalog).joined(separator: "\n") + "\n"),
                                           into: Store(url: url), skipInvalid: false)
        // Garbage over every page but the first (the header and the schema): the tables' B-trees.
        let handle = try FileHandle(forWritingTo: url)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        #expect(throws: MoosicError.configuration("the store \(url.path) is corrupt: database disk image is malformed")) {
            _ = try Store(url: url).catalogStats()
        }
    }

    @Test func homeResolvesFromTheEnvironment() {
        #expect(MoosicEnvironment.resolve(["MOOSIC_HOME": "/x/m"]).home.path == "/x/m")
        #expect(MoosicEnvironment.resolve(["XDG_DATA_HOME": "/x/d", "HOME": "/h"]).home.path == "/x/d/moosic")
        #expect(MoosicEnvironment.resolve(["HOME": "/h"]).home.path == "/h/.local/share/moosic")
        #expect(MoosicEnvironment.resolve(["HOME": "/h", "MOOSIC_MODELS": "/m"]).modelsDirectory?.path == "/m")
    }

    @Test func homeIsCreatedPrivate() throws {
        let directory = try TemporaryDirectory()
        let environment = MoosicEnvironment(home: directory.url.appendingPathComponent("home"))
        _ = try Store(environment: environment)
        let mode = try FileManager.default.attributesOfItem(atPath: environment.home.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}

@Suite struct LibraryTrackTests {
    @Test func libraryTracksAreDistinctAcrossPlaylistsAndLikedSongs() throws {
        let store = try Store()
        let a = LibraryTrack(id: "a", name: "A", artists: "X"), b = LibraryTrack(id: "b", name: "B", artists: "Y", isrc: "QZ1")
        let playlist = SyncedPlaylist(id: "p1", name: "P", ownerID: "u", collaborative: false,
                                      state: SyncedPlaylistState(snapshotID: "s1", itemsStatus: "synced"),
                                      items: [.init(position: 0, track: a, addedAt: nil), .init(position: 1, track: b, addedAt: nil)])
        try store.saveLibrary(SyncedLibrary(user: "u", displayName: nil, syncedAt: Date(), playlists: [playlist],
                                            liked: [(b, "2025"), (LibraryTrack(id: "c", name: "C", artists: "Z"), "2025")]))
        try store.saveLibrary(SyncedLibrary(user: "other", displayName: nil, syncedAt: Date(), playlists: [],
                                            liked: [(LibraryTrack(id: "d", name: "D", artists: "W"), "2025")]))
        let tracks = try store.libraryTracks(user: "u")
        #expect(tracks.map(\.id) == ["a", "b", "c"])
        #expect(tracks[1].isrc == "QZ1")
    }

    @Test func moosicsOwnPlaylistIsNotPartOfTheLibrary() throws {
        let store = try Store()
        let mine = LibraryTrack(id: "mine", name: "M", artists: "X"), pick = LibraryTrack(id: "pick", name: "P", artists: "Y")
        func playlist(_ id: String, _ track: LibraryTrack) -> SyncedPlaylist {
            SyncedPlaylist(id: id, name: id, ownerID: "u", collaborative: false,
                           state: SyncedPlaylistState(snapshotID: "s", itemsStatus: "synced"),
                           items: [.init(position: 0, track: track, addedAt: nil)])
        }
        try store.ensureUser("u", displayName: nil, now: Date())
        try store.saveLibrary(SyncedLibrary(user: "u", displayName: nil, syncedAt: Date(),
                                            playlists: [playlist("own", mine), playlist("moosic", pick)], liked: []))
        #expect(Set(try store.libraryTracks(user: "u").map(\.id)) == ["mine", "pick"])
        // Once moosic has written its playlist, the next sync brings it back: its picks are not taste.
        try store.recordGeneratedPlaylist(user: "u", id: "moosic", name: "moosic: your mood mix", url: nil, snapshot: "s",
                                          mood: 0.5, uris: [SpotifyTrackURI(id: "pick")], at: Date())
        #expect(try store.libraryTracks(user: "u").map(\.id) == ["mine"])
    }

    @Test func aMissingModelIsAConfigurationError() {
        let environment = MoosicEnvironment(home: URL(fileURLWithPath: "/tmp"), modelsDirectory: URL(fileURLWithPath: "/nonexistent"))
        do {
            _ = try environment.modelURL("song_emotion.json")
            Issue.record("a missing model was found")
        } catch MoosicError.configuration(let message) {
            #expect(message.contains("/nonexistent"))
        } catch {
            Issue.record("wrong error \(error)")
        }
    }
}
