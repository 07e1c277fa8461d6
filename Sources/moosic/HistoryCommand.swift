import ArgumentParser
import Foundation
import MoosicApp
import MoosicCore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a user's moods over time with the playlist made each time.",
        discussion: """
            Every mood read from a photo (or the page's camera), oldest first, with the playlist written for it \
            (none for a dry run), plus refreshes that used the stored mood; the first line is a sparkline \
            (▁ sad … █ happy).
            """
    )

    @Option(help: "The Spotify user id.") var user: String
    @Flag(help: "Print the history as JSON.") var json = false

    func run() throws {
        let report = try MoodHistoryReport.load(user: user, environment: Installation.current().environment)
        if json {
            try Output.printJSON(report)
        } else {
            print(report.text)
        }
    }
}
