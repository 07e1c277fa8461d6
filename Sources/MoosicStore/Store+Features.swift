import Foundation
import GRDB
import MoosicCore
import MoosicML

/// The feature cache (table track_features, migration "v3-features") and the genre evidence of
/// library tracks: catalog labels, features from the catalog or the cache, the artists' genres.
extension Store: FeatureCacheRepository, GenreEvidenceLookup, GenreProbabilityCache {
    static let featureColumns = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
                                         "instrumentalness", "liveness", "valence", "tempo"]

    public func tracksWantingFeatures(user: String, missesSince: Date) throws -> [LibraryTrack] {
        let library = try libraryTracks(user: user)
        let since = Self.timestamp(missesSince)
        return try read { db in
            try library.filter { track in
                if try Self.catalogTrackID(for: track, db) != nil { return false }
                guard let row = try Row.fetchOne(db, sql: "SELECT found, fetched_at FROM track_features WHERE track_id = ?",
                                                 arguments: [track.id]) else { return true }
                let found: Bool = row["found"]
                let fetchedAt: String = row["fetched_at"]
                return !found && fetchedAt < since
            }
        }
    }

    public func recordFeatures(found: [String: AudioFeatures], missing: [String], source: String, at date: Date) throws {
        let timestamp = Self.timestamp(date)
        try write { db in
            for (id, features) in found.sorted(by: { $0.key < $1.key }) {
                let values: [(any DatabaseValueConvertible)?] = [
                    id, source, timestamp, features.danceability, features.energy, features.key, features.loudness,
                    features.mode, features.speechiness, features.acousticness, features.instrumentalness,
                    features.liveness, features.valence, features.tempo,
                ]
                try db.execute(sql: """
                    INSERT OR REPLACE INTO track_features (track_id, source, fetched_at, found, \(Self.featureColumns.joined(separator: ", ")))
                    VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments(values))
            }
            for id in Set(missing).subtracting(found.keys).sorted() {
                // A miss never replaces features already known.
                try db.execute(sql: """
                    INSERT INTO track_features (track_id, source, fetched_at, found) VALUES (?, ?, ?, 0)
                    ON CONFLICT(track_id) DO UPDATE SET source = excluded.source, fetched_at = excluded.fetched_at
                    WHERE track_features.found = 0
                    """, arguments: [id, source, timestamp])
            }
        }
    }

    public func genreEvidence(for library: [LibraryTrack]) throws -> [GenreEvidence] {
        try fillArtistGenresIfEmpty()
        return try read { db in
            let columns = Self.featureColumns.joined(separator: ", ")
            var evidence: [GenreEvidence] = []
            evidence.reserveCapacity(library.count)
            for track in library {
                var item = GenreEvidence()
                if let id = try Self.catalogTrackID(for: track, db) {
                    item.labels = try String.fetchAll(db.cachedStatement(sql: "SELECT genre FROM track_genre WHERE track_id = ? ORDER BY genre"),
                                                      arguments: [id])
                    if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM track WHERE id = ?"), arguments: [id]) {
                        item.features = Self.features(row)
                        item.featuresSource = .catalog
                    }
                } else if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM track_features WHERE track_id = ? AND found = 1"),
                                                     arguments: [track.id]) {
                    item.features = Self.features(row)
                    item.featuresSource = .service
                }
                evidence.append(item)
            }
            // The artist evidence: each artist's genres read once from artist_genre.
            var genresOfArtist: [String: [String: Int]] = [:]
            let statement = try db.cachedStatement(sql: "SELECT genre, tracks FROM artist_genre WHERE artist_key = ?")
            for (i, track) in library.enumerated() {
                let keys = Set(track.artists.split(separator: ";").map { TrackMatchKey.artistKey(String($0)) }.filter { !$0.isEmpty })
                for key in keys {
                    if genresOfArtist[key] == nil {
                        var genres: [String: Int] = [:]
                        let rows = try Row.fetchCursor(statement, arguments: [key])
                        while let row = try rows.next() { genres[row[0]] = row[1] }
                        genresOfArtist[key] = genres
                    }
                    for (genre, count) in genresOfArtist[key]! { evidence[i].artistGenres[genre, default: 0] += count }
                }
            }
            return evidence
        }
    }

    /// Fills artist_genre from the catalog when it is empty (a new store, or a catalog import since):
    /// one pass over the catalog's (artists, genre) pairs, each artist of a song counted for its genres.
    func fillArtistGenresIfEmpty() throws {
        let filled = try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM artist_genre)") ?? false }
        guard !filled else { return }
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM artist_genre)") == false else { return }
            var counts: [String: [String: Int]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT t.artists, g.genre FROM track t JOIN track_genre g ON g.track_id = t.id")
            while let row = try rows.next() {
                let artists: String = row[0]
                let genre: String = row[1]
                for artist in artists.split(separator: ";") {
                    let key = TrackMatchKey.artistKey(String(artist))
                    if !key.isEmpty { counts[key, default: [:]][genre, default: 0] += 1 }
                }
            }
            let insert = try db.makeStatement(sql: "INSERT INTO artist_genre (artist_key, genre, tracks) VALUES (?, ?, ?)")
            for (key, genres) in counts {
                for (genre, count) in genres { try insert.execute(arguments: [key, genre, count]) }
            }
        }
    }

    public func cachedGenreProbabilities(trackIDs: [String], version: String) throws -> [String: [Double]] {
        try read { db in
            var found: [String: [Double]] = [:]
            let statement = try db.cachedStatement(sql: "SELECT probabilities FROM track_genre_probability WHERE track_id = ? AND model_version = ?")
            for id in Set(trackIDs) {
                guard let blob = try Data.fetchOne(statement, arguments: [id, version]) else { continue }
                found[id] = blob.withUnsafeBytes { raw in
                    (0..<raw.count / 4).map { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) }
                }
            }
            return found
        }
    }

    public func recordGenreProbabilities(_ probabilities: [String: [Double]], version: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM track_genre_probability WHERE model_version <> ?", arguments: [version])
            for (id, row) in probabilities.sorted(by: { $0.key < $1.key }) {
                var blob = Data(capacity: row.count * 4)
                for value in row { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { blob.append(contentsOf: $0) } }
                try db.execute(sql: "INSERT OR REPLACE INTO track_genre_probability (track_id, model_version, probabilities) VALUES (?, ?, ?)",
                               arguments: [id, version, blob])
            }
        }
    }

    /// The catalog track a library track is (by Spotify id, else ISRC, else first artist + title).
    static func catalogTrackID(for track: LibraryTrack, _ db: Database) throws -> String? {
        // Cached statements: a profile asks this for every library track.
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM track WHERE id = ?)"), arguments: [track.id]) == true {
            return track.id
        }
        if let isrc = track.isrc, !isrc.isEmpty,
           let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM track WHERE isrc = ? ORDER BY id LIMIT 1"), arguments: [isrc.uppercased()]) {
            return id
        }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM track WHERE match_key = ? ORDER BY popularity DESC, id LIMIT 1"),
                                   arguments: [TrackMatchKey.make(artists: track.artists, name: track.name)])
    }

    /// What the feature cache holds, for `library sync --json` and the tests.
    public struct FeatureCacheState: Sendable, Equatable {
        public var found: Int
        public var misses: Int
        /// Found rows with a value outside AudioFeatures.Valid (the CHECK constraints should make it 0).
        public var outOfRange: Int
        /// PRAGMA integrity_check's answer ("ok" for a sound file).
        public var integrity: String
    }

    public func featureCacheState() throws -> FeatureCacheState {
        try read { db in
            FeatureCacheState(
                found: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track_features WHERE found = 1") ?? 0,
                misses: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track_features WHERE found = 0") ?? 0,
                outOfRange: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track_features WHERE found = 1 AND NOT (\(Self.featureRangeSQL))") ?? 0,
                integrity: try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; "))
        }
    }

    /// The cached features of one track (nil: not cached, or a miss).
    public func cachedFeatures(track id: String) throws -> AudioFeatures? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.featureColumns.joined(separator: ", ")) FROM track_features WHERE track_id = ? AND found = 1",
                             arguments: [id]).map(Self.features)
        }
    }
}
