import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The JSON of `recommend` and `refresh` (../shared/moosic-cli.md), plus added keys
/// (`strategy`, `quality`, `notes`, `sync`, `genre_evidence`). Keys are snake_case by `Output.printJSON`.
struct RecommendationJSON: Encodable {
    struct Mood: Encodable {
        var score: Double
        var label: MoodLabel
        var source: String
        var facesFound: Int?
        var face: FaceBox?
    }
    struct Genre: Encodable { var genre: String; var share: Double }
    struct Track: Encodable {
        var id, uri, name, artists, genre: String
        var emotion, score, target: Double
        /// P(energetic) and the energy the position aimed at.
        var arousal, energyTarget: Double
        var reason: String
    }
    struct Playlist: Encodable {
        var id: String?
        var url: String?
        var name: String
        var created: Bool
        var written: Bool
        var tracks: [Track]
    }
    struct Sync: Encodable { var playlists: Int; var libraryTracks: Int; var requests: Int; var featureRequests: Int }
    /// Where the profile's evidence came from: features by source, how tracks were weighed, and
    /// what the forest looks at (coverage has the per-source track counts).
    struct GenreEvidence: Encodable {
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
    var notes: [String]

    init(_ r: Recommendation, strategy: RankingStrategy) {
        user = r.user
        mood = Mood(score: r.mood, label: MoodLabel(score: r.mood), source: r.moodSource,
                    facesFound: r.photoMood?.facesFound, face: r.photoMood?.face)
        self.strategy = strategy.rawValue
        genres = r.rankedGenres.shares.map { Genre(genre: $0.genre, share: round3($0.share)) }
        genresAll = r.profile.shares.prefix(10).map { Genre(genre: $0.genre, share: round3($0.share)) }
        coverage = r.profile.coverage
        genreEvidence = GenreEvidence(featuresFromCatalog: r.profile.featuresFromCatalog,
                                      featuresFromService: r.profile.featuresFromService, weighting: .standard,
                                      featureImportances: r.profile.featureImportances.map {
                                          GenreProfile.FeatureImportance(feature: $0.feature, importance: round3($0.importance))
                                      })
        playlist = Playlist(
            id: r.playlist?.id, url: r.playlist?.url, name: r.playlist?.name ?? r.playlistName,
            created: r.playlist?.created ?? false, written: r.playlist != nil,
            tracks: r.picks.map { p in
                Track(id: p.candidate.id, uri: "spotify:track:\(p.candidate.id)", name: p.candidate.name,
                      artists: p.candidate.artists.replacingOccurrences(of: ";", with: ", "), genre: p.candidate.genre,
                      emotion: round3(p.candidate.emotion), score: round3(p.score), target: round3(p.target),
                      arousal: round3(p.candidate.arousal), energyTarget: round3(p.energyTarget), reason: p.reason)
            })
        quality = r.quality
        sync = Sync(playlists: r.sync.playlists, libraryTracks: r.sync.libraryTracks, requests: r.sync.requests,
                    featureRequests: r.sync.featureRequests)
        notes = r.notes
    }
}

private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// The readable form: mood, profile, then the playlist as a table.
enum RecommendationText {
    static func render(_ r: Recommendation, strategy: RankingStrategy) -> String {
        var lines: [String] = []
        var moodLine = "mood: \(String(format: "%.2f", r.mood)) (\(MoodLabel(score: r.mood).rawValue), from \(r.moodSource == "photo" ? "the photo" : "history"))"
        if let photo = r.photoMood, photo.facesFound > 1 { moodLine += ", \(photo.facesFound) faces: the largest was used" }
        lines.append(moodLine)
        let top = r.rankedGenres.shares.prefix(5).map { "\($0.genre) \(Int(($0.share * 100).rounded())) %" }
        let c = r.profile.coverage
        lines.append("your genres: \(top.joined(separator: ", ")) (from \(c.counted) of \(c.libraryTracks) library tracks: "
                     + "\(c.labelled) labelled by the catalog, \(c.inferred) inferred from audio features, \(c.byArtist) by artist)")
        if let playlist = r.playlist {
            let verb = playlist.created ? "created" : "replaced"
            lines.append("playlist \"\(playlist.name)\" \(verb): \(playlist.url ?? playlist.id)")
        } else {
            lines.append("playlist \"\(r.playlistName)\" (dry run: not written)")
        }
        lines.append("")
        let header = ["#", "emotion", "energy", "genre", "artist", "title"]
        var rows = r.picks.enumerated().map { i, p in
            [String(i + 1), String(format: "%.2f", p.candidate.emotion), String(format: "%.2f", p.candidate.arousal), p.candidate.genre,
             clip(p.candidate.artists.replacingOccurrences(of: ";", with: ", "), 28), clip(p.candidate.name, 40)]
        }
        rows.insert(header, at: 0)
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
        lines.append("")
        let q = r.quality
        lines.append(String(format: "%@ strategy · genre JSD %.3f · mean |emotion − target| %.3f · |energy − target| %.3f · smoothness |Δemotion| %.3f |Δenergy| %.3f · %d artists · %.0f %% new to you",
                            strategy.rawValue, q.genreDivergence, q.meanEmotionError, q.meanEnergyError, q.emotionStep,
                            q.energyStep, q.distinctArtists, q.newToUser * 100))
        return lines.joined(separator: "\n")
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
