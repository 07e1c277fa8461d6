import Foundation
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// `moosic eval ranker`: the quality measures of the fixture user's playlist for both strategies and
/// both fixture moods (the happy and the sad fixture photo), offline, in a throw-away store.
public enum RankerEvaluation {
    public static let user = "moosicdemo"
    public static let photos = ["happy-1.jpg", "sad-1.jpg"]

    public struct Row: Sendable, Encodable {
        public var photo: String
        public var mood: Double
        public var strategy: String
        public var quality: PlaylistQuality
        /// Mean emotion of the first and the last five songs: how the playlist moves.
        public var emotionStart: Double
        public var emotionEnd: Double
    }

    public static func run(installation: Installation, size: Int = 30, seed: UInt64 = 0) async throws -> [Row] {
        let pipeline = try StandardPipeline.make(store: try Store(), installation: installation, user: user, offline: true)
        let photoFolder = try installation.environment.fixturesDirectory().appendingPathComponent("photos")
        var rows: [Row] = []
        for photo in photos {
            for strategy in RankingStrategy.allCases {
                let result = try await pipeline.run(RecommendRequest(
                    user: user, mood: .photo(photoFolder.appendingPathComponent(photo).path),
                    options: RankingOptions(size: size, strategy: strategy, seed: seed), dryRun: true))
                let emotions = result.picks.map(\.candidate.emotion)
                func mean(_ values: ArraySlice<Double>) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
                rows.append(Row(photo: photo, mood: result.mood, strategy: strategy.rawValue, quality: result.quality,
                                emotionStart: mean(emotions.prefix(5)), emotionEnd: mean(emotions.suffix(5))))
            }
        }
        return rows
    }
}
