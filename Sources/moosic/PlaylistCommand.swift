import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// Writes the user's moosic playlist from a list of track URIs: what `recommend` does after ranking,
/// on its own. Hidden: a tool for checking a Spotify set-up and for the end-to-end tests.
struct PlaylistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playlist",
        abstract: "Write the user's moosic playlist from a list of track URIs.",
        shouldDisplay: false,
        subcommands: [Write.self]
    )

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the items of the user's moosic playlist (made when missing).",
            discussion: "The URIs (spotify:track:…) come one per line from --uris-file, or as arguments."
        )

        @Option(help: "The Spotify user id.") var user: String
        @Option(help: "The playlist's name.") var name: String
        @Option(help: "The playlist's description.") var description: String = ""
        @Option(help: "A file with one track URI per line.") var urisFile: String?
        @Flag(help: "Write to the local store only.") var offline = false
        @Flag(help: "Print the result as JSON.") var json = false
        @Argument(help: "Track URIs.") var uris: [String] = []

        func run() async throws {
            var list = uris
            if let urisFile {
                guard FileManager.default.fileExists(atPath: urisFile) else { throw MoosicError.fileMissing(path: urisFile) }
                guard let text = try? String(contentsOfFile: urisFile, encoding: .utf8) else {
                    throw MoosicError.invalidData("\(urisFile) is not UTF-8 text")
                }
                list += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let installation = try Installation.current()
            let store = try Store(environment: installation.environment)
            let writer: PlaylistPublishing = offline
                ? LocalPlaylistWriter(repository: store)
                : PlaylistWriter(session: try StandardPipeline.session(user: user, offline: false, installation: installation),
                                 repository: store)
            let result = try await writer.write(user: user, name: name, description: description,
                                                uris: try list.map(SpotifyTrackURI.init(parsing:)))
            if json {
                try Output.printJSON(result)
                return
            }
            print("\(result.created ? "made" : "replaced") \(result.name) (\(result.trackCount) tracks): \(result.url ?? result.id)")
        }
    }
}
