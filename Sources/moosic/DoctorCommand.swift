import ArgumentParser
import Foundation
import MoosicApp
import MoosicCore

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this installation and say what is wrong and how to fix it.",
        discussion: """
            One line per check — ok, warn, fail or skip — with the fix: the client id, each login's age \
            (Spotify's refresh tokens last 6 months) and scopes, the store (PRAGMA quick_check), the catalog \
            and its emotion scores, the models, the features service and the Spotify API (not with \
            --offline), the nightly cron line and the last refresh runs. Exits 0 when no check fails, 78 otherwise.
            """
    )

    @Option(help: "Check only this user's login, cron line and refresh runs.") var user: String?
    @Flag(help: "Skip the checks that need the network.") var offline = false
    @Flag(help: "Print the checks as JSON.") var json = false

    struct DoctorJSON: Encodable {
        struct Setting: Encodable {
            var name: String
            var value: String?
            var source: Installation.Source
        }
        var ok: Bool
        var checks: [DoctorCheck]
        var settingsFile: String
        var settings: [Setting]
    }

    func run() async throws {
        let installation = try Installation.current()
        var doctor = Doctor(environment: installation.environment, variables: installation.variables, user: user, offline: offline)
        doctor.settingsFileValues = installation.fileValues
        let checks = [Doctor.settingsCheck(installation)] + (await doctor.run())
        let code = Doctor.exitCode(checks)
        if json {
            let settings = Installation.settings.map {
                DoctorJSON.Setting(name: $0.name, value: installation.value(of: $0.name), source: installation.source(of: $0.name))
            }
            try Output.printJSON(DoctorJSON(ok: code == 0, checks: checks, settingsFile: installation.settingsFile.path, settings: settings))
        } else {
            let width = checks.map(\.name.count).max() ?? 0
            for check in checks {
                let status = check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
                let name = check.name.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(status)  \(name)  \(check.message)" + (check.fix.map { " — fix: \($0)" } ?? ""))
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}
