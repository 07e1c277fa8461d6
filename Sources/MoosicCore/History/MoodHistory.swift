import Foundation

/// One playlist write, as the history keeps it: the mood it was made for and what was made.
public struct PlaylistRun: Sendable, Equatable, Codable {
    /// The store's id of the run (nil until stored).
    public var id: Int64?
    public var user: String
    public var madeAt: Date
    public var mood: Double
    /// "photo" (read from a photo or the page's camera) or "history" (the latest stored mood).
    public var moodSource: String
    public var strategy: RankingStrategy
    public var trackCount: Int
    public var playlistID: String
    public var playlistName: String
    public var playlistURL: String?
    /// The cover written to MOOSIC_HOME for this playlist, when one was made.
    public var coverPath: String?

    public init(id: Int64? = nil, user: String, madeAt: Date, mood: Double, moodSource: String, strategy: RankingStrategy,
                trackCount: Int, playlistID: String, playlistName: String, playlistURL: String?, coverPath: String?) {
        self.id = id
        self.user = user
        self.madeAt = madeAt
        self.mood = mood
        self.moodSource = moodSource
        self.strategy = strategy
        self.trackCount = trackCount
        self.playlistID = playlistID
        self.playlistName = playlistName
        self.playlistURL = playlistURL
        self.coverPath = coverPath
    }
}

/// A point of the mood history: a mood, and the playlist made for it (nil: a dry run, or a mood
/// read without writing).
public struct MoodHistoryEntry: Sendable, Equatable {
    public var at: Date
    public var mood: Double
    public var source: String
    public var playlist: PlaylistRun?

    public init(at: Date, mood: Double, source: String, playlist: PlaylistRun?) {
        self.at = at
        self.mood = mood
        self.source = source
        self.playlist = playlist
    }

    /// The history from the stored photo moods and playlist runs, oldest first. A run made from a
    /// photo stores its mood too, with the same time and score: that pair is one entry.
    public static func merge(moods: [(at: Date, score: Double)], runs: [PlaylistRun]) -> [MoodHistoryEntry] {
        var unmatched = runs
        var entries: [MoodHistoryEntry] = []
        for mood in moods {
            if let index = unmatched.firstIndex(where: {
                $0.moodSource == "photo" && abs($0.madeAt.timeIntervalSince(mood.at)) < 1 && abs($0.mood - mood.score) < 1e-9
            }) {
                entries.append(MoodHistoryEntry(at: mood.at, mood: mood.score, source: "photo", playlist: unmatched.remove(at: index)))
            } else {
                entries.append(MoodHistoryEntry(at: mood.at, mood: mood.score, source: "photo", playlist: nil))
            }
        }
        entries += unmatched.map { MoodHistoryEntry(at: $0.madeAt, mood: $0.mood, source: $0.moodSource, playlist: $0) }
        // Stable: equal times keep the order above.
        return entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}

/// A mood series as a line of block characters, ▁ for 0 up to █ for 1 (a fixed scale, so two
/// sparklines compare).
public enum Sparkline {
    static let blocks = Array("▁▂▃▄▅▆▇█")

    public static func render(_ values: [Double]) -> String {
        String(values.map { value in
            let clamped = min(max(value.isFinite ? value : 0, 0), 1)
            return blocks[min(Int(clamped * Double(blocks.count)), blocks.count - 1)]
        })
    }
}
