import Foundation
import MoosicCore
import MoosicIO
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
        /// What became of its songs (nil for a run stored before moosic kept each run's songs).
        public var songs: RunSongs?
    }

    /// A run's songs against the runs before it and what the listener did with them (docs/nightly.md).
    public struct RunSongs: Sendable, Encodable, Equatable {
        public struct Song: Sendable, Encodable, Equatable {
            public var id: String
            public var name: String
            public var artists: String
        }
        /// How many songs moosic had never given before, and how many it gave again (those listed in
        /// `givenBefore`: few, as freshness keeps them so; every other song of the run was new).
        public var new: Int
        public var again: Int
        public var givenBefore: [Song]
        /// Removed from moosic's playlist by the listener (remembered dislikes), and saved to their library.
        public var removed: [Song]
        public var saved: [Song]
    }

    public struct Point: Sendable, Encodable {
        public var at: String
        public var mood: Double
        public var label: MoodLabel
        public var source: String
        /// For a run from the stored mood: how old the photo reading it aged from was (nil otherwise).
        public var ageHours: Double?
        public var playlist: Playlist?
    }

    public var user: String
    public var points: [Point]
    /// The moods as ▁…█, oldest first.
    public var sparkline: String

    public init(user: String, entries: [MoodHistoryEntry], given: [GivenSong] = [], feedback: [FeedbackEvent] = []) {
        self.user = user
        let songs = Self.runSongs(given: given, feedback: feedback)
        var lastPhoto: Date?
        points = entries.map { entry in
            if entry.source == "photo" { lastPhoto = entry.at }
            let age = entry.source == "history" ? lastPhoto.map { (entry.at.timeIntervalSince($0) / 360).rounded() / 10 } : nil
            return Point(at: entry.at.formatted(.iso8601), mood: (entry.mood * 1000).rounded() / 1000, label: MoodLabel(score: entry.mood),
                  source: entry.source, ageHours: age,
                  playlist: entry.playlist.map {
                      Playlist(id: $0.playlistID, name: $0.playlistName, url: $0.playlistURL, strategy: $0.strategy.rawValue,
                               trackCount: $0.trackCount, cover: $0.coverPath, songs: $0.id.flatMap { songs[$0] })
                  })
        }
        sparkline = Sparkline.render(entries.map(\.mood))
    }

    /// Per run id: how many of its songs were new and given again, and which were removed and saved.
    static func runSongs(given: [GivenSong], feedback: [FeedbackEvent]) -> [Int64: RunSongs] {
        var seen = Set<String>()
        var result: [Int64: RunSongs] = [:]
        // givenSongs comes oldest run first, so `seen` holds the songs of the earlier runs.
        func entry(_ song: GivenSong) -> RunSongs.Song {
            RunSongs.Song(id: song.trackID, name: song.name, artists: song.artists.replacingOccurrences(of: ";", with: ", "))
        }
        for run in Dictionary(grouping: given, by: \.runID).sorted(by: { ($0.value[0].givenAt, $0.key) < ($1.value[0].givenAt, $1.key) }) {
            let again = run.value.filter { seen.contains($0.trackID) }
            result[run.key] = RunSongs(new: run.value.count - again.count, again: again.count, givenBefore: again.map(entry),
                                       removed: [], saved: [])
            seen.formUnion(run.value.map(\.trackID))
        }
        for event in feedback {
            let song = entry(event.song)
            switch event.kind {
            case .removed: result[event.song.runID]?.removed.append(song)
            case .saved: result[event.song.runID]?.saved.append(song)
            }
        }
        return result
    }

    public static func load(user: String, store: Store) throws -> MoodHistoryReport {
        MoodHistoryReport(user: user, entries: MoodHistoryEntry.merge(moods: try store.photoMoods(user: user),
                                                                      runs: try store.playlistRuns(user: user)),
                          given: try store.givenSongs(user: user), feedback: try store.feedback(user: user))
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
                if point.source == "history" {
                    line += point.ageHours.map { " (stored mood: a reading \(AgeingMood.ageText(hours: $0)) old)" } ?? " (stored mood)"
                }
                if let songs = playlist.songs {
                    line += ": \(songs.new) new, \(songs.again) given before"
                    if !songs.givenBefore.isEmpty { line += " (" + songs.givenBefore.map(Self.title).joined(separator: ", ") + ")" }
                    if !songs.removed.isEmpty { line += "; removed: " + songs.removed.map(Self.title).joined(separator: ", ") }
                    if !songs.saved.isEmpty { line += "; saved: " + songs.saved.map(Self.title).joined(separator: ", ") }
                }
            } else {
                line += "  no playlist written"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func title(_ song: RunSongs.Song) -> String { "\"\(song.name)\" (\(song.artists))" }
}
