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
        let time = at.flatMap(CronLine.parseTime) ?? (hour: 4, minute: Int.random(in: 0...59))
        let environment = MoosicEnvironment.resolve()
        let variables = ProcessInfo.processInfo.environment
        let passed = ["MOOSIC_CLIENT_ID", "MOOSIC_MODELS", "MOOSIC_SPOTIFY_API_URL", "MOOSIC_SPOTIFY_ACCOUNTS_URL"]
            .compactMap { name in variables[name].flatMap { $0.isEmpty ? nil : (name, $0) } }
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        print(CronLine.make(binary: binary, user: user, hour: time.hour, minute: time.minute,
                            home: environment.home.path, variables: passed,
                            log: environment.home.appendingPathComponent("refresh.log").path))
    }
}
