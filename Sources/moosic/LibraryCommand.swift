import ArgumentParser
import Foundation
import MoosicCore
import MoosicFeatures
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Copy a user's Spotify library into the local store.",
        subcommands: [Sync.self]
    )

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync a user's playlists (own and collaborative) and Liked Songs.",
            discussion: """
                Incremental: playlists whose snapshot has not changed since the last sync are not fetched \
                again. --offline reads the fixture library in Fixtures/spotify/<user>/ instead of Spotify.
                """
        )

        @Option(help: "The Spotify user id (as logged in with `moosic auth login`).") var user: String
        @Flag(help: "Read the library from Fixtures/spotify/<user>/ instead of Spotify.") var offline = false
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            let synced = try await SyncLibrary.run(user: user, offline: offline, installation: Installation.current(),
                                                   progress: ProgressReporter(label: "syncing \(user)", json: json))
            let report = synced.sync, features = synced.features
            for note in features?.notes ?? [] { FileHandle.standardError.write(Data("moosic: note: \(note)\n".utf8)) }
            if json {
                try Output.printJSON(SyncJSON(report: report, features: features))
                return
            }
            print("synced \(user): \(report.playlists) playlists (\(report.fetched) fetched, \(report.unchanged) unchanged, "
                  + "\(report.followed) followed, \(report.forbidden) refused by Spotify), \(report.items) playlist items fetched, "
                  + "\(report.liked) liked songs, \(report.requests) requests")
            if let features {
                print("audio features: \(features.wanted) library tracks without features, \(features.found) found, "
                      + "\(features.missing + features.rejected) unknown, \(features.notAsked) not asked, \(features.requests) requests")
            }
        }
    }
}

/// `library sync --json`: the sync report's keys, plus `features` (the features service's backfill,
/// null when it is off or offline).
struct SyncJSON: Encodable {
    var report: SyncReport
    var features: FeatureBackfillReport?

    enum CodingKeys: String, CodingKey { case features }

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(features, forKey: .features)
    }
}
