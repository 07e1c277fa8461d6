import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision


/// The readable form: mood, profile, then the playlist as a table.
enum RecommendationText {
    static func render(_ r: Recommendation, strategy: RankingStrategy) -> String {
        var lines: [String] = []
        var moodLine = "mood: \(String(format: "%.2f", r.mood)) (\(MoodLabel(score: r.mood).rawValue), from \(r.moodSource == "photo" ? "the photo" : "history"))"
        if let aged = r.agedMood {
            moodLine += ": a reading of \(String(format: "%.2f", aged.reading)) \(aged.ageText) old, pulled toward \(aged.usualText)"
        }
        if let photo = r.photoMood, photo.facesFound > 1 { moodLine += ", \(photo.facesFound) faces: the largest was used" }
        lines.append(moodLine)
        let top = r.rankedGenres.shares.prefix(5).map { "\($0.genre) \(Int(($0.share * 100).rounded())) %" }
        let c = r.profile.coverage
        lines.append("your genres: \(top.joined(separator: ", ")) (from \(c.counted) of \(c.libraryTracks) library tracks: "
                     + "\(c.labelled) labelled by the catalog, \(c.inferred) inferred from audio features, \(c.byArtist) by artist)")
        if let playlist = r.playlist {
            let verb = playlist.created ? "created" : "replaced"
            lines.append("playlist \"\(playlist.name)\" \(verb): \(playlist.url ?? playlist.id)")
            if let cover = r.cover?.path { lines.append("cover: \(cover)\(r.cover?.uploaded == true ? " (uploaded)" : "")") }
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
                            strategy.rawValue, q.genreDivergence, q.meanEmotionError, q.meanArousalError, q.emotionStep,
                            q.arousalStep, q.distinctArtists, q.newToUser * 100))
        return lines.joined(separator: "\n")
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
