import Foundation
import MoosicCore

/// The JSON of `recommend` and `refresh` (docs/cli.md), plus added keys
/// (`strategy`, `quality`, `notes`, `sync`, `genre_evidence`). Keys are snake_case by `Output.printJSON`.
public struct RecommendationJSON: Encodable, Sendable {
    struct Mood: Encodable, Sendable {
        var score: Double
        var label: MoodLabel
        var band: MoodBand
        var source: String
        var facesFound: Int?
        var face: FaceBox?
        /// How old the reading is (0 for a photo of this run; nil without any reading), and, for a
        /// run without a photo, the reading itself and the usual mood it is pulled toward.
        var ageHours: Double?
        var reading: Double?
        var usual: Double?
    }
    /// What the listener did with earlier playlists, noticed on this run.
    struct Feedback: Encodable, Sendable {
        struct Song: Encodable, Sendable { var id, name, artists, genre: String; var givenAt: String }
        var removed: [Song]
        var saved: [Song]
    }
    struct Genre: Encodable, Sendable {
        var genre: String
        var share: Double
        /// The share's parts by evidence: catalog labels, artists' catalog genres, the forest.
        var from: GenreShare.Sources

        init(_ s: GenreShare) {
            genre = s.genre
            share = round3(s.share)
            from = GenreShare.Sources(labels: round3(s.sources.labels), artists: round3(s.sources.artists),
                                      forest: round3(s.sources.forest))
        }
    }
    struct Track: Encodable, Sendable {
        var id, uri, name, artists, genre: String
        var emotion, score, target: Double
        /// P(energetic) (the energy score, `arousal` in code) and the energy score the position aimed at:
        /// `energy_target` is the contract's key (docs/cli.md), kept though the code says `arousalTarget`.
        var arousal, energyTarget: Double
        var reason: String
        /// When moosic last gave it, for a song given again on one of the last fresh nights (else nil).
        var givenBefore: String?
    }
    struct Playlist: Encodable, Sendable {
        var id: String?
        var url: String?
        var name: String
        var created: Bool
        var written: Bool
        /// The generated cover's path in MOOSIC_HOME (nil on a dry run or when it could not be made).
        var cover: String?
        /// Whether the cover was sent to Spotify.
        var coverUploaded: Bool
        var tracks: [Track]
    }
    struct Sync: Encodable, Sendable { var playlists: Int; var libraryTracks: Int; var requests: Int; var featureRequests: Int }
    /// Where the profile's evidence came from: features by source, how tracks were weighed, and
    /// what the forest looks at (coverage has the per-source track counts).
    struct GenreEvidence: Encodable, Sendable {
        var featuresFromCatalog: Int
        var featuresFromService: Int
        var weighting: GenreWeighting
        var featureImportances: [GenreProfile.FeatureImportance]
    }

    var user: String
    var mood: Mood
    var strategy: String
    /// The profile over the catalog's genres (what the ranking used).
    var genres: [Genre]
    /// The profile over every genre the model knows, top 10.
    var genresAll: [Genre]
    var coverage: GenreProfile.Coverage
    var genreEvidence: GenreEvidence
    var playlist: Playlist
    var quality: PlaylistQuality
    var sync: Sync
    var feedback: Feedback
    var notes: [String]

    public init(_ r: Recommendation, strategy: RankingStrategy) {
        user = r.user
        mood = Mood(score: r.mood, label: MoodLabel(score: r.mood), band: MoodBand(score: r.mood), source: r.moodSource,
                    facesFound: r.photoMood?.facesFound, face: r.photoMood?.face,
                    ageHours: r.photoMood != nil ? 0 : r.agedMood.map { ($0.ageHours * 10).rounded() / 10 },
                    reading: r.agedMood.map { round3($0.reading) }, usual: r.agedMood.map { round3($0.usual) })
        self.strategy = strategy.rawValue
        genres = r.rankedGenres.shares.map(Genre.init)
        genresAll = r.profile.shares.prefix(10).map(Genre.init)
        coverage = r.profile.coverage
        genreEvidence = GenreEvidence(featuresFromCatalog: r.profile.featuresFromCatalog,
                                      featuresFromService: r.profile.featuresFromService, weighting: .standard,
                                      featureImportances: r.profile.featureImportances.map {
                                          GenreProfile.FeatureImportance(feature: $0.feature, importance: round3($0.importance))
                                      })
        playlist = Playlist(
            id: r.playlist?.id, url: r.playlist?.url, name: r.playlist?.name ?? r.playlistName,
            created: r.playlist?.created ?? false, written: r.playlist != nil,
            cover: r.cover?.path, coverUploaded: r.cover?.uploaded ?? false,
            tracks: r.picks.map { p in
                Track(id: p.candidate.id, uri: SpotifyTrackURI(id: p.candidate.id).description, name: p.candidate.name,
                      artists: p.candidate.artists.replacingOccurrences(of: ";", with: ", "), genre: p.candidate.genre,
                      emotion: round3(p.candidate.emotion), score: round3(p.score), target: round3(p.target),
                      arousal: round3(p.candidate.arousal), energyTarget: round3(p.arousalTarget), reason: p.reason,
                      givenBefore: p.givenBefore?.formatted(.iso8601))
            })
        quality = r.quality
        sync = Sync(playlists: r.sync.playlists, libraryTracks: r.sync.libraryTracks, requests: r.sync.requests,
                    featureRequests: r.sync.featureRequests)
        func songs(_ kind: FeedbackEvent.Kind) -> [Feedback.Song] {
            r.feedback.filter { $0.kind == kind }.map {
                Feedback.Song(id: $0.song.trackID, name: $0.song.name, artists: $0.song.artists.replacingOccurrences(of: ";", with: ", "),
                              genre: $0.song.genre, givenAt: $0.song.givenAt.formatted(.iso8601))
            }
        }
        feedback = Feedback(removed: songs(.removed), saved: songs(.saved))
        notes = r.notes
    }
}

private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
