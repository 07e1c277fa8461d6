import Foundation
import MoosicCore
import MoosicStore

/// `moosic history` and the page's chart: the user's moods over time with the playlist made each time.
public struct MoodHistoryReport: Sendable, Encodable {
    public struct Playlist: Sendable, Encodable {
        public var id: String
        public var name: String
        public var url: String?
        public var strategy: String
        public var trackCount: Int
        public var cover: String?
    }

    public struct Point: Sendable, Encodable {
        public var at: String
        public var mood: Double
        public var label: MoodLabel
        public var source: String
        public var playlist: Playlist?
    }

    public var user: String
    public var points: [Point]
    /// The moods as ▁…█, oldest first.
    public var sparkline: String

    public init(user: String, entries: [MoodHistoryEntry]) {
        self.user = user
        points = entries.map { entry in
            Point(at: entry.at.formatted(.iso8601), mood: (entry.mood * 1000).rounded() / 1000, label: MoodLabel(score: entry.mood),
                  source: entry.source,
                  playlist: entry.playlist.map {
                      Playlist(id: $0.playlistID, name: $0.playlistName, url: $0.playlistURL, strategy: $0.strategy.rawValue,
                               trackCount: $0.trackCount, cover: $0.coverPath)
                  })
        }
        sparkline = Sparkline.render(entries.map(\.mood))
    }

    public static func load(user: String, store: Store) throws -> MoodHistoryReport {
        MoodHistoryReport(user: user, entries: MoodHistoryEntry.merge(moods: try store.photoMoods(user: user),
                                                                      runs: try store.playlistRuns(user: user)))
    }

    public static func load(user: String, environment: MoosicEnvironment) throws -> MoodHistoryReport {
        try load(user: user, store: Store(environment: environment))
    }

    /// The readable form: the sparkline, then one line per point.
    public var text: String {
        guard !points.isEmpty else { return "no moods stored for \(user) yet (run `moosic --user \(user) --photo <photo>`)" }
        var lines = ["\(user): \(points.count) mood\(points.count == 1 ? "" : "s")  \(sparkline)  (▁ sad … █ happy)"]
        for point in points {
            var line = "\(point.at)  \(String(format: "%.2f", point.mood)) \(point.label.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))"
            if let playlist = point.playlist {
                line += "  \(playlist.strategy): \(playlist.trackCount) songs in \"\(playlist.name)\""
                if point.source == "history" { line += " (stored mood)" }
            } else {
                line += "  no playlist written"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
