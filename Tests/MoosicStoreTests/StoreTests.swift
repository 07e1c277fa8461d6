import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct StoreTests {
    @Test func opensWithWALForeignKeysAndAllMigrations() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(url: directory.url.appendingPathComponent("s.sqlite"))
        let (mode, foreignKeys) = try store.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
        #expect(try store.schemaVersions() == ["v1-schema", "v2-spotify", "v2-genres"])
        let tables = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["track", "track_genre", "user_profile", "library_playlist", "library_playlist_item",
                      "liked_track", "mood", "generated_playlist", "refresh_run"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateTwice() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("s.sqlite")
        try Store(url: url).database.write { db in
            try db.execute(sql: "INSERT INTO user_profile (id, created_at) VALUES ('u', '2026-01-01')")
        }
        let reopened = try Store(url: url)
        #expect(try reopened.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user_profile") } == 1)
    }

    @Test func foreignKeysAreEnforced() throws {
        let store = try Store()
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO track_genre (track_id, genre) VALUES ('nope', 'rock')")
            }
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
        try store.database.write { db in
            try db.execute(sql: """
                INSERT INTO user_profile (id, created_at) VALUES ('u', 'now'), ('other', 'now');
                INSERT INTO library_playlist VALUES ('u', 'p1', 'P', 'u', 0, 's1', 'synced', 'now');
                INSERT INTO library_playlist_item VALUES ('u', 'p1', 0, 'a', 'A', 'X', NULL, NULL),
                                                         ('u', 'p1', 1, 'b', 'B', 'Y', 'QZ1', NULL);
                INSERT INTO liked_track VALUES ('u', 'b', 'B', 'Y', 'QZ1', '2025'), ('u', 'c', 'C', 'Z', NULL, '2025'),
                                               ('other', 'd', 'D', 'W', NULL, '2025');
                """)
        }
        let tracks = try store.libraryTracks(user: "u")
        #expect(tracks.map(\.id) == ["a", "b", "c"])
        #expect(tracks[1].isrc == "QZ1")
    }

    @Test func aMissingModelIsAConfigurationError() {
        let environment = MoosicEnvironment(home: URL(fileURLWithPath: "/tmp"), modelsDirectory: URL(fileURLWithPath: "/nonexistent"))
        #expect(throws: MoosicError.self) { try environment.modelURL("song_emotion.json") }
    }
}
