import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicApp

/// `moosic doctor` through the binary: the lines, the JSON and the exit code (0, or 78 when a check fails).
@Suite struct DoctorCLITests {
    let cli: CLIRunner
    let scratch: TemporaryDirectory

    init() throws {
        cli = try CLIRunner()
        scratch = try TemporaryDirectory()
    }

    /// A crontab command that lists `lines`.
    func crontab(_ lines: [String]) throws -> String {
        let listing = try scratch.write("crontab.txt", lines.joined(separator: "\n") + "\n")
        let command = try scratch.write("crontab", "#!/bin/sh\ncat \(CronLine.shellQuoted(listing.path))\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: command.path)
        return command.path
    }

    @Test func aFreshHomeOfflineHasNoFailure() throws {
        let result = try cli.run(["doctor", "--offline"], environment: ["MOOSIC_CRONTAB": "/nonexistent/crontab", "MOOSIC_CLIENT_ID": ""])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("warn  client id ") })
        #expect(lines.contains { $0.hasPrefix("skip  Spotify API ") })
        #expect(lines.contains { $0.hasPrefix("ok    face model ") })
        #expect(lines.contains { $0.hasPrefix("warn  cron ") && $0.contains("moosic cron --user <id>) | crontab -") })
    }

    @Test func aCronLineForAMissingBinaryFailsWithExit78InTextAndJSON() throws {
        let environment = ["MOOSIC_CRONTAB": try crontab(["30 4 * * * MOOSIC_HOME=\(cli.home.path) MOOSIC_CLIENT_ID=x /gone/bin/moosic refresh --user moosicdemo >> /tmp/l 2>&1"])]
        let text = try cli.run(["doctor", "--offline", "--user", "moosicdemo"], environment: environment)
        #expect(text.status == 78, "\(text.stdout)\(text.stderr)")
        let fail = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("fail") })
        #expect(fail.hasPrefix("fail  cron moosicdemo"))
        #expect(fail.contains("/gone/bin/moosic, which is not an executable file"))
        #expect(fail.contains("— fix: replace the line with the output of `moosic cron --user moosicdemo`"))
        #expect(text.stderr.isEmpty)

        let json = try cli.run(["doctor", "--offline", "--user", "moosicdemo", "--json"], environment: environment)
        #expect(json.status == 78)
        struct Report: Decodable {
            struct Check: Decodable { var name, status, message: String; var fix: String? }
            var ok: Bool
            var checks: [Check]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(json.stdout.utf8))
        #expect(!report.ok)
        #expect(report.checks.filter { $0.status == "fail" }.map(\.name) == ["cron moosicdemo"])
    }

    @Test func onlineWithoutAClientIDOrSpotifyFails() throws {
        let result = try cli.run(["doctor"], environment: ["MOOSIC_CLIENT_ID": "", "MOOSIC_CRONTAB": "/nonexistent/crontab",
                                                           "MOOSIC_SPOTIFY_API_URL": "http://127.0.0.1:9/v1", "MOOSIC_FEATURES_URL": ""])
        #expect(result.status == 78)
        let failed = result.stdout.split(separator: "\n").filter { $0.hasPrefix("fail") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        #expect(failed.contains("client"))
        #expect(failed.contains("Spotify"))
        #expect(result.stdout.contains("skip  features service") )
    }
}
