import ArgumentParser
import Foundation
import MoosicApp
import MoosicCore

/// `moosic dislikes list|clear`: the songs a listener removed from moosic's playlist, which moosic
/// remembers and never offers again until they are cleared (docs/nightly.md).
struct DislikesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dislikes",
        abstract: "List or clear the songs moosic will not offer again because the listener removed them.",
        subcommands: [List.self, Clear.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the remembered dislikes, oldest first.")
        @Option(help: "The Spotify user id.") var user: String
        @Flag(help: "Print them as JSON.") var json = false

        func run() throws {
            let report = try ListenerDislikes.load(user: user, environment: Installation.current().environment)
            if json { try Output.printJSON(report) } else { print(report.text) }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget remembered dislikes, so those songs may be offered again.",
            discussion: "Without --track, every dislike of the user. A --track that is not remembered exits 65.")
        @Option(help: "The Spotify user id.") var user: String
        @Option(help: "Only this Spotify track id.") var track: String?
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let cleared = try ListenerDislikes.clear(user: user, track: track, environment: Installation.current().environment)
            if json {
                try Output.printJSON(ListenerDislikes.Cleared(user: user, cleared: cleared))
            } else {
                print("cleared \(cleared) dislike\(cleared == 1 ? "" : "s") of \(user)")
            }
        }
    }
}
