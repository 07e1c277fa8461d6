import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// Options shared by `recommend` and `refresh`.
struct RankingArguments: ParsableArguments {
    @Option(help: "How many songs (1–100).") var size = 30
    @Option(help: "match: every song near your mood; lift: start at your mood and rise toward happy.")
    var strategy: RankingStrategy = .match
    @Option(help: "Seed for the choice among equally fitting songs (default: today's date, so each day differs).")
    var seed: UInt64?
    @Flag(help: "Keep songs you already have in your library (left out by default).") var includeLibrary = false

    func validate() throws {
        guard (1...100).contains(size) else { throw ValidationError("--size must be between 1 and 100") }
    }

    /// The options, with today's seed (MOOSIC_NOW's day when that test hook is set) and the
    /// freshness window of MOOSIC_FRESH_NIGHTS.
    func options(_ installation: Installation) throws -> RankingOptions {
        RankingOptions(size: size, strategy: strategy, seed: try seed ?? UInt64(installation.now.timeIntervalSince1970 / 86400),
                       excludeLibrary: !includeLibrary, freshNights: try installation.freshNights)
    }
}

extension RankingStrategy: ExpressibleByArgument {}

struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Read the mood from a face photo and write a playlist that fits it (the default command).",
        discussion: """
            Steps: mood from the photo → stored → Spotify library synced (from Fixtures with --offline) → \
            genre profile → ranking → the user's one moosic playlist replaced (unless --dry-run).
            """
    )

    @Option(help: "The Spotify user id of a logged-in profile (see `moosic auth login`).") var user: String
    @Option(help: "A photo with a face (JPEG, PNG, BMP, WebP, TIFF).") var photo: String
    @OptionGroup var ranking: RankingArguments
    @Flag(help: "Rank and show the playlist but do not write it.") var dryRun = false
    @Flag(help: "No network: library from Fixtures (or the store), playlist written to the local store.") var offline = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let installation = try Installation.current()
        let pipeline = try StandardPipeline.make(installation: installation, user: user, offline: offline)
        let result = try await pipeline.run(RecommendRequest(user: user, mood: .photo(photo), options: try ranking.options(installation),
                                                             dryRun: dryRun))
        // Notes go to stderr, as refresh's do (and into --json's notes).
        for note in result.notes { FileHandle.standardError.write(Data("moosic: note: \(note)\n".utf8)) }
        if json {
            try Output.printJSON(RecommendationJSON(result, strategy: ranking.strategy))
        } else {
            print(RecommendationText.render(result, strategy: ranking.strategy))
        }
    }
}

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refresh the user's playlist without asking anything (for cron; see `moosic cron`).",
        discussion: """
            Without --photo it uses the latest stored mood, pulled toward the listener's usual mood (the median \
            of their photo moods; neutral 0.5 with fewer than 3) as it ages: half-life 48 h, none of it left \
            after 7 days (docs/nightly.md). Songs given on the last MOOSIC_FRESH_NIGHTS nights (default 7) are \
            not given again while the catalog allows; songs the listener removed from the playlist are never \
            given again, songs they saved bring more of their artist and genre (see `moosic dislikes`). \
            Silent on success; one line per problem on stderr. A second refresh while one runs exits 75 at once.
            """
    )

    @Option(help: "The Spotify user id of a logged-in profile.") var user: String
    @Option(help: "A new photo to read the mood from.") var photo: String?
    @OptionGroup var ranking: RankingArguments
    @Flag(help: "No network: library from Fixtures (or the store), playlist written to the local store.") var offline = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let installation = try Installation.current()
        let result = try await NightlyRefresh.run(user: user, photo: photo, options: try ranking.options(installation), offline: offline,
                                                  installation: installation)
        for note in result.notes { FileHandle.standardError.write(Data("moosic: note: \(note)\n".utf8)) }
        if json { try Output.printJSON(RecommendationJSON(result, strategy: ranking.strategy)) }
    }
}
