import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicApp

/// The progress line of long work: on a terminal only, never with --json, never into a pipe.
@Suite struct ProgressCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    let catalog = CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv").path

    @Test func intoAPipeTheImportPrintsNoProgress() throws {
        let result = try cli.run(["catalog", "import", catalog])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("importing"))
    }

    /// `script` (util-linux) gives the command a terminal; what it wrote comes back on script's stdout.
    func onATerminal(_ arguments: [String]) throws -> CLIRunner.Result {
        let command = ([CLIRunner.binary.path] + arguments).map(CronLine.shellQuoted).joined(separator: " ")
        return try CLIRunner(runner: cli, executable: URL(fileURLWithPath: "/usr/bin/script"))
            .run(["-qefc", command, "/dev/null"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalTheImportShowsProgressButNotWithJSON() throws {
        let shown = try onATerminal(["catalog", "import", catalog])
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("\rimporting catalog.csv … ") || shown.stdout.contains("\r\u{1B}[Kimporting catalog.csv … "))
        let json = try onATerminal(["catalog", "import", "--json", catalog])
        #expect(json.status == 0, "\(json.stdout)")
        #expect(!json.stdout.contains("importing"))
        #expect(json.stdout.contains("\"rows_read\""))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalTheLibrarySyncShowsItsPages() throws {
        let shown = try onATerminal(["library", "sync", "--user", "moosicdemo", "--offline"])
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("syncing moosicdemo … liked songs "))
        #expect(try cli.run(["library", "sync", "--user", "moosicdemo", "--offline"]).stderr.isEmpty)
    }
}
