import Foundation
import GRDB
import GRDBSQLite
import MoosicCore
import MoosicIO
import MoosicML

/// moosic's one SQLite database (in MOOSIC_HOME), opened through GRDB with WAL and foreign keys,
/// its schema brought up to date by versioned migrations on every open.
///
/// Every statement runs through `read` or `write`, which turn SQLite's errors into MoosicError
/// (see `moosicError(_:location:)`), so no GRDB error reaches the command line.
public final class Store: Sendable {
    /// The store's file as its errors name it (":memory:" for an in-memory store).
    let location: String
    private let database: DatabaseQueue

    /// Opens (creating if needed) the store at `url`. A nightly refresh and an interactive run may
    /// meet: a writer waits up to `busyTimeout` seconds for the other before giving up as busy.
    public init(url: URL, busyTimeout: TimeInterval = 10) throws {
        var configuration = Self.configuration
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        location = url.path
        database = try Self.translatingErrors(of: url.path) {
            let database = try DatabaseQueue(path: url.path, configuration: configuration)
            try Store.migrator.migrate(database)
            return database
        }
    }

    /// Opens the store of an environment, creating MOOSIC_HOME if needed.
    public convenience init(environment: MoosicEnvironment) throws {
        try environment.prepareHome()
        try self.init(url: environment.storeURL)
    }

    /// An in-memory store, for tests.
    public init() throws {
        location = ":memory:"
        let configuration = Self.configuration
        database = try Self.translatingErrors(of: location) {
            let database = try DatabaseQueue(configuration: configuration)
            try Store.migrator.migrate(database)
            return database
        }
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return configuration
    }

    /// Reads in one transaction. Every read of the store goes through here.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.translatingErrors(of: location) { try database.read(body) }
    }

    /// Writes in one transaction, all or nothing. Every write to the store goes through here.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.translatingErrors(of: location) { try database.write(body) }
    }

    public func schemaVersions() throws -> [String] {
        try read { db in try Store.migrator.appliedMigrations(db) }
    }

    /// How many rows each table holds, by table name (tests check what a failed run left behind).
    package func tableSizes() throws -> [String: Int] {
        try read { db in
            var sizes: [String: Int] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                sizes[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return sizes
        }
    }

    private static func translatingErrors<T>(of location: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw moosicError(error, location: location)
        }
    }

    /// The one translation of SQLite's errors: busy after the busy timeout is temporary (75), a
    /// corrupt file or one that is no database is configuration (78, naming the file), anything else
    /// an internal failure (1).
    static func moosicError(_ error: DatabaseError, location: String) -> MoosicError {
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .temporary("the store \(location) is busy (another moosic is writing); try again")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .configuration("the store \(location) is corrupt: \(detail)")
        default:
            return .internalFailure("the store \(location) failed: \(detail)")
        }
    }

    /// The error of a statement stepped through SQLite's C API (the bulk loops), for `write` to translate.
    static func stepFailure(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
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
        migrator.registerMigration("v3-arousal") { db in
            // P(energetic), the song-emotion model's second output (calm ↔ energetic), scored with
            // `emotion` by the same model (`emotion_model`); and what each playlist song had.
            try db.execute(sql: """
                ALTER TABLE track ADD COLUMN arousal REAL;
                ALTER TABLE generated_playlist_track ADD COLUMN arousal REAL;
                """)
        }
        migrator.registerMigration("v3-features") { db in
            // Audio features a features service gave for library tracks the catalog lacks, one row per
            // Spotify track id: found (the values, every one in AudioFeatures.Valid, enforced here a
            // second time) or a miss (all NULL), with the service it came from and when. A found row is
            // never asked for again; a miss is, once it is old (FeatureBackfill.missRetryAge).
            try db.execute(sql: """
                CREATE TABLE track_features (
                    track_id TEXT PRIMARY KEY NOT NULL,
                    source TEXT NOT NULL,
                    fetched_at TEXT NOT NULL,
                    found INTEGER NOT NULL CHECK (found IN (0, 1)),
                    danceability REAL, energy REAL, key INTEGER, loudness REAL, mode INTEGER, speechiness REAL,
                    acousticness REAL, instrumentalness REAL, liveness REAL, valence REAL, tempo REAL,
                    CHECK (found = 0 OR (\(Store.featureRangeSQL))),
                    CHECK (found = 1 OR (danceability IS NULL AND tempo IS NULL))
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-history") { db in
            // Every playlist write with the mood it was made for, for `moosic history` and the page's
            // chart (refresh_run records only refreshes, and generated_playlist only the latest write).
            try db.execute(sql: """
                CREATE TABLE playlist_run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id TEXT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    made_at TEXT NOT NULL,
                    mood REAL NOT NULL CHECK (mood >= 0 AND mood <= 1),
                    mood_source TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    track_count INTEGER NOT NULL,
                    playlist_id TEXT NOT NULL,
                    playlist_name TEXT NOT NULL,
                    playlist_url TEXT,
                    cover_path TEXT
                );
                CREATE INDEX playlist_run_by_user_time ON playlist_run(user_id, made_at);
                """)
        }
        migrator.registerMigration("v4-nights") { db in
            // What moosic remembers between nights (docs/nightly.md). Every song each playlist run
            // wrote, with the genre it was picked under and whether it was new to the listener then
            // (freshness, and the likes' genres); when the listener's actions on a run's playlist were
            // read (`feedback_read_at`, so a removal is noticed once); and what they did: a song removed
            // from moosic's playlist (a dislike, until `moosic dislikes clear`) or saved to their library.
            try db.execute(sql: """
                CREATE TABLE playlist_run_track (
                    run_id INTEGER NOT NULL REFERENCES playlist_run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    track_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    artists TEXT NOT NULL,
                    genre TEXT NOT NULL,
                    match_key TEXT NOT NULL,
                    new_to_user INTEGER NOT NULL CHECK (new_to_user IN (0, 1)),
                    PRIMARY KEY (run_id, position)
                ) WITHOUT ROWID;
                ALTER TABLE playlist_run ADD COLUMN feedback_read_at TEXT;
                CREATE TABLE listener_feedback (
                    user_id TEXT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
                    track_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('removed', 'saved')),
                    run_id INTEGER NOT NULL REFERENCES playlist_run(id) ON DELETE CASCADE,
                    noted_at TEXT NOT NULL,
                    PRIMARY KEY (user_id, track_id, kind)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-genre-probabilities") { db in
            // The genre forest's probabilities for library tracks it counts (features, no label, no
            // known artist), as little-endian Float32 in the forest's class order, under the forest's
            // version (its file's checksum): rows of another version are dropped when new ones come.
            try db.execute(sql: """
                CREATE TABLE track_genre_probability (
                    track_id TEXT PRIMARY KEY NOT NULL,
                    model_version TEXT NOT NULL,
                    probabilities BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-artist-genres") { db in
            // How many catalog songs of each genre each artist has (the artist's key as TrackMatchKey
            // makes it), for the genre profile's artist evidence: derived from track and track_genre,
            // emptied by every catalog import and filled again by the next profile that needs it, so
            // a profile reads the rows of its library's artists instead of splitting every catalog row's
            // artists.
            try db.execute(sql: """
                CREATE TABLE artist_genre (
                    artist_key TEXT NOT NULL,
                    genre TEXT NOT NULL,
                    tracks INTEGER NOT NULL,
                    PRIMARY KEY (artist_key, genre)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }()

    /// SQL true when every feature column of a row is present and in AudioFeatures.Valid.
    static var featureRangeSQL: String {
        let unit = AudioFeatures.Valid.unit
        var terms = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness", "liveness", "valence"]
            .map { "\($0) IS NOT NULL AND \($0) BETWEEN \(unit.lowerBound) AND \(unit.upperBound)" }
        terms.append("key IS NOT NULL AND key BETWEEN \(AudioFeatures.Valid.key.lowerBound) AND \(AudioFeatures.Valid.key.upperBound)")
        terms.append("loudness IS NOT NULL AND loudness BETWEEN \(AudioFeatures.Valid.loudness.lowerBound) AND \(AudioFeatures.Valid.loudness.upperBound)")
        terms.append("mode IS NOT NULL AND mode BETWEEN \(AudioFeatures.Valid.mode.lowerBound) AND \(AudioFeatures.Valid.mode.upperBound)")
        terms.append("tempo IS NOT NULL AND tempo >= \(AudioFeatures.Valid.tempo.lowerBound)")
        return terms.joined(separator: " AND ")
    }
}
