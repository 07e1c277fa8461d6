import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Print a crontab line that refreshes the user's playlist every night.",
        discussion: "Install it with `crontab -e` (paste the line) or `(crontab -l; moosic cron --user ID) | crontab -`."
    )

    @Option(help: "The Spotify user id of a logged-in profile.") var user: String
    @Option(help: "Time of day HH:MM (default: 04:MM with a random minute, so users don't all call Spotify at once).")
    var at: String?

    func validate() throws {
        if let at, CronLine.parseTime(at) == nil {
            throw ValidationError("--at takes a time of day as HH:MM, e.g. 04:30 (got \"\(at)\")")
        }
    }

    func run() throws {
        print(try Installation.current().cronLine(user: user, at: at.flatMap(CronLine.parseTime)))
    }
}
