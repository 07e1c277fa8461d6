import GRDB
import MoosicCore
import MoosicML

/// What the catalog holds.
public struct CatalogStats: Sendable, Equatable, Codable {
    public struct GenreCount: Sendable, Equatable, Codable {
        public var genre: String
        public var tracks: Int
    }

    public var tracks: Int
    public var genres: Int
    public var tracksPerGenre: [GenreCount]
    /// Tracks that have an emotion score from the song-emotion model.
    public var tracksWithEmotion: Int

    enum CodingKeys: String, CodingKey {
        case tracks, genres
        case tracksPerGenre = "tracks_per_genre"
        case tracksWithEmotion = "tracks_with_emotion"
    }
}

extension Store {
    public func catalogStats() throws -> CatalogStats {
        try read { db in
            let tracks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track") ?? 0
            let scored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track WHERE emotion IS NOT NULL") ?? 0
            let perGenre = try Row.fetchAll(db, sql: """
                SELECT genre, COUNT(*) AS n FROM track_genre GROUP BY genre ORDER BY genre
                """).map { CatalogStats.GenreCount(genre: $0["genre"], tracks: $0["n"]) }
            return CatalogStats(tracks: tracks, genres: perGenre.count, tracksPerGenre: perGenre,
                                tracksWithEmotion: scored)
        }
    }
}
