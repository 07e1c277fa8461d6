import Foundation
import MoosicCore
import MoosicIO
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// `moosic refresh`, the run cron starts every night, and the variables its crontab line must carry
/// (`Installation.cronLine` writes the line).
public enum NightlyRefresh {
    /// The variables moosic reads that the cron job must be given: cron runs with an almost empty environment.
    static let passedVariables = ["MOOSIC_CLIENT_ID", "MOOSIC_MODELS", "MOOSIC_DATA", "MOOSIC_SPOTIFY_API_URL",
                                  "MOOSIC_SPOTIFY_ACCOUNTS_URL", ListenerMemory.freshNightsVariable]

    /// Runs the pipeline for `user` with the mood from `photo`, else the latest stored one, and writes
    /// the playlist. One refresh per user at a time: a second one throws `temporary` (75) at once.
    /// Every run is recorded in the store with its outcome.
    public static func run(user: String, photo: String?, options: RankingOptions, offline: Bool,
                           installation: Installation) async throws -> Recommendation {
        let environment = installation.environment
        try environment.prepareHome()
        let lock = try FileLock(path: lockURL(user: user, environment: environment).path,
                                busyMessage: "another refresh is running for \(user)")
        defer { withExtendedLifetime(lock) {} }
        let store = try Store(environment: environment)
        let now = try installation.now
        let run = try store.startRefreshRun(user: user, now: now)
        do {
            let pipeline = try StandardPipeline.make(store: store, installation: installation, user: user, offline: offline,
                                                     readsPhoto: photo != nil)
            let result = try await pipeline.run(RecommendRequest(user: user, mood: photo.map { .photo($0) } ?? .history,
                                                                 options: options, dryRun: false))
            try store.finishRefreshRun(run, mood: result.mood, moodSource: result.moodSource,
                                       trackCount: result.picks.count, outcome: "ok",
                                       message: result.notes.isEmpty ? nil : result.notes.joined(separator: "; "),
                                       now: try installation.now)
            return result
        } catch {
            try? store.finishRefreshRun(run, mood: nil, moodSource: nil, trackCount: nil, outcome: "failed",
                                        message: ErrorReport(error).message, now: (try? installation.now) ?? Date())
            throw error
        }
    }

    /// The user's lock file in MOOSIC_HOME, named from the characters of the user id that are safe in a file name.
    static func lockURL(user: String, environment: MoosicEnvironment) -> URL {
        let safe = user.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
        return environment.home.appendingPathComponent("refresh-\(safe).lock")
    }
}
