import Foundation
import GRDB
import MoosicCore
import MoosicML

/// moosic's one SQLite database (in MOOSIC_HOME), opened through GRDB with WAL and foreign keys,
/// its schema brought up to date by versioned migrations on every open.
public final class Store: Sendable {
    public let database: DatabaseQueue

    /// Opens (creating if needed) the store at `url`.
    public init(url: URL) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A nightly refresh and an interactive run may meet: wait for the other writer
        // instead of failing at once with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            try Store.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw MoosicError.internalFailure("cannot open the store at \(url.path): \(error.message ?? error.description)")
        }
    }

    /// Opens the store of an environment, creating MOOSIC_HOME if needed.
    public convenience init(environment: MoosicEnvironment) throws {
        try environment.prepareHome()
        try self.init(url: environment.storeURL)
    }

    /// An in-memory store, for tests.
    public init() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        database = try DatabaseQueue(configuration: configuration)
        try Store.migrator.migrate(database)
    }

    public func schemaVersions() throws -> [String] {
        try database.read { db in try Store.migrator.appliedMigrations(db) }
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema") { db in
            try db.execute(sql: """
                CREATE TABLE track (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    artists TEXT NOT NULL,
                    album TEXT NOT NULL,
                    popularity INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    explicit INTEGER NOT NULL,
                    danceability REAL NOT NULL,
                    energy REAL NOT NULL,
                    key INTEGER NOT NULL,
                    loudness REAL NOT NULL,
                    mode INTEGER NOT NULL,
                    speechiness REAL NOT NULL,
                    acousticness REAL NOT NULL,
                    instrumentalness REAL NOT NULL,
                    liveness REAL NOT NULL,
                    valence REAL NOT NULL,
                    tempo REAL NOT NULL,
                    time_signature INTEGER NOT NULL,
                    -- P(happy) from the song-emotion model; NULL until a model has scored the track.
                    emotion REAL,
                    emotion_model TEXT,
                    -- Normalised "first artist|title" (see TrackMatchKey), to find a library track whose
                    -- Spotify id is not in the catalog (relinked or regional copies of the same song).
                    match_key TEXT NOT NULL
                );
                CREATE INDEX track_by_match_key ON track(match_key);
                CREATE TABLE track_genre (
                    track_id TEXT NOT NULL REFERENCES track(id) ON DELETE CASCADE,
                    genre TEXT NOT NULL,
                    PRIMARY KEY (track_id, genre)
                ) WITHOUT ROWID;
                CREATE INDEX track_genre_by_genre ON track_genre(genre);

                CREATE TABLE user_profile (
                    id TEXT PRIMARY KEY NOT NULL,
                    display_name TEXT,
                    created_at TEXT NOT NULL,
                    last_sync_at TEXT
                );
                CREATE TABLE library_playlist (
                    user_id TEXT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    playlist_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    owner_id TEXT NOT NULL,
                    collaborative INTEGER NOT NULL,
                    snapshot_id TEXT NOT NULL,
                    -- 'synced', or 'forbidden' when Spotify refused its items (someone else's playlist)
                    items_status TEXT NOT NULL,
                    synced_at TEXT NOT NULL,
                    PRIMARY KEY (user_id, playlist_id)
                );
                CREATE TABLE library_playlist_item (
                    user_id TEXT NOT NULL,
                    playlist_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    track_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    artists TEXT NOT NULL,
                    isrc TEXT,
                    added_at TEXT,
                    PRIMARY KEY (user_id, playlist_id, position),
                    FOREIGN KEY (user_id, playlist_id) REFERENCES library_playlist(user_id, playlist_id) ON DELETE CASCADE
                );
                CREATE TABLE liked_track (
                    user_id TEXT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    track_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    artists TEXT NOT NULL,
                    isrc TEXT,
                    added_at TEXT,
                    PRIMARY KEY (user_id, track_id)
                );
                CREATE TABLE mood (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id TEXT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    measured_at TEXT NOT NULL,
                    score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
                    source TEXT NOT NULL CHECK (source IN ('photo', 'history'))
                );
                CREATE INDEX mood_by_user_time ON mood(user_id, measured_at);
                -- One moosic playlist per user: its Spotify id (or a local id when written offline).
                CREATE TABLE generated_playlist (
                    user_id TEXT PRIMARY KEY NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    spotify_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    url TEXT,
                    snapshot_id TEXT,
                    mood REAL,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE generated_playlist_track (
                    user_id TEXT NOT NULL REFERENCES generated_playlist(user_id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    track_id TEXT NOT NULL,
                    emotion REAL,
                    score REAL,
                    reason TEXT,
                    PRIMARY KEY (user_id, position)
                );
                CREATE TABLE refresh_run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    mood REAL,
                    mood_source TEXT,
                    track_count INTEGER,
                    outcome TEXT NOT NULL,
                    message TEXT
                );
                """)
        }
        migrator.registerMigration("v2-spotify") { db in
            // A playlist creation sent to Spotify whose answer has not been seen yet: if the run is cut
            // off, the next one finds the playlist by this name and description instead of making a second.
            try db.execute(sql: """
                CREATE TABLE spotify_pending_playlist (
                    user_id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    started_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-genres") { db in
            // A catalog track's ISRC, when the catalog it came from has one (the Spotify Tracks
            // dataset has none), to find a library track whose Spotify id the catalog lacks.
            try db.execute(sql: """
                ALTER TABLE track ADD COLUMN isrc TEXT;
                CREATE INDEX track_by_isrc ON track(isrc) WHERE isrc IS NOT NULL;
                """)
        }
        return migrator
    }()
}
