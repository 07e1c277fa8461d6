import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicApp

/// What the user sees when the command line is wrong, and when the binary finds no models or fixtures.
@Suite struct ErrorReportingCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    @Test func anUnknownOptionIsAUsageErrorNamingIt() throws {
        for arguments in [["--user", "x", "--photo", "y", "--bogus"], ["mood", "--photo", "y", "--bogus"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 64)
            #expect(result.stderr == "moosic: error: Unknown option '--bogus' (see `moosic --help`)\n")
            #expect(result.stdout.isEmpty)
        }
    }

    /// ArgumentParser reports a missing required option before an unknown one; moosic names the unknown
    /// one, also where the default command (recommend) would first miss `--user`.
    @Test(arguments: [
        (["--bogus-flag"], "--bogus-flag"),
        (["--user", "x", "--bogus-flag"], "--bogus-flag"),
        (["recommend", "--bogus-flag=3"], "--bogus-flag"),
        (["cron", "--at", "04:30", "--bogus"], "--bogus"),
        (["auth", "logout", "--bogus"], "--bogus"),
        (["eval", "mood", "--json", "--bogus"], "--bogus"),
    ]) func anUnknownOptionIsNamedBeforeAMissingOne(arguments: [String], unknown: String) throws {
        let result = try cli.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr == "moosic: error: Unknown option '\(unknown)' (see `moosic --help`)\n")
        #expect(result.stdout.isEmpty)
    }

    /// Known options only: the missing one is still what is said.
    @Test func withKnownOptionsTheMissingOneIsNamed() throws {
        for (arguments, missing) in [(["--user", "x"], "--photo <photo>"), (["--photo", "y.jpg"], "--user <user>"),
                                     (["cron", "--at", "04:30"], "--user <user>")] {
            let result = try cli.run(arguments)
            #expect(result.status == 64)
            #expect(result.stderr == "moosic: error: Missing expected argument '\(missing)' (see `moosic --help`)\n", "\(arguments)")
        }
    }

    @Test func aMissingOrInvalidValueIsAUsageErrorNamingTheOption() throws {
        let missing = try cli.run(["--photo", "y"])
        #expect(missing.status == 64)
        #expect(missing.stderr == "moosic: error: Missing expected argument '--user <user>' (see `moosic --help`)\n")
        let invalid = try cli.run(["--user", "x", "--photo", "y", "--size", "many"])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.hasPrefix("moosic: error: ") && invalid.stderr.contains("--size"), "\(invalid.stderr)")
        #expect(invalid.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpIsPrintedAndExitsZero() throws {
        let result = try cli.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: "))
        #expect(result.stderr.isEmpty)
    }

    /// The built binary copied into a folder of its own: no models or fixtures beside it, no source tree above it.
    func copiedBinary() throws -> (CLIRunner, URL) {
        let runner = try CLIRunner()
        let bin = runner.home.deletingLastPathComponent().appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let copy = bin.appendingPathComponent("moosic")
        try FileManager.default.copyItem(at: CLIRunner.binary, to: copy)
        return (CLIRunner(runner: runner, executable: copy), copy)
    }

    @Test func aBinaryAwayFromItsDataNamesWhereItLooked() throws {
        let (moved, copy) = try copiedBinary()
        let share = copy.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/moosic")
        let mood = try moved.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg"])
        #expect(mood.status == 78)
        #expect(mood.stderr == "moosic: error: no Models folder found; looked in \(share.path)/Models (beside the executable) (set MOOSIC_MODELS to the folder that holds the models)\n")
        let sync = try moved.run(["library", "sync", "--user", "moosicdemo", "--offline"])
        #expect(sync.status == 78)
        #expect(sync.stderr == "moosic: error: no Fixtures folder found; looked in \(share.path)/Fixtures (beside the executable) (set MOOSIC_DATA to the folder that holds Fixtures/)\n")
        let data = try moved.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg"], environment: ["MOOSIC_DATA": "/nonexistent/data"])
        #expect(data.status == 78)
        #expect(data.stderr.contains("looked in /nonexistent/data/Models (MOOSIC_DATA)"), "\(data.stderr)")
    }

    @Test func moosicModelsAndMoosicDataStillWin() throws {
        let (moved, _) = try copiedBinary()
        let models = CLIRunner.repositoryRoot.appendingPathComponent("Models").path
        let mood = try moved.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg"], environment: ["MOOSIC_MODELS": models])
        #expect(mood.status == 0, "\(mood.stderr)")
        #expect(mood.stdout.hasPrefix("happy (happy band): "))
        let sync = try moved.run(["library", "sync", "--user", "moosicdemo", "--offline", "--json"],
                                 environment: ["MOOSIC_DATA": CLIRunner.repositoryRoot.path])
        #expect(sync.status == 0, "\(sync.stderr)")
    }

    @Test func anInstalledLayoutFindsShareMoosic() throws {
        let (moved, copy) = try copiedBinary()
        let share = copy.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/moosic")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        for folder in ["Models", "Fixtures"] {
            try FileManager.default.createSymbolicLink(at: share.appendingPathComponent(folder),
                                                       withDestinationURL: CLIRunner.repositoryRoot.appendingPathComponent(folder))
        }
        let result = try moved.run(["--user", "moosicdemo", "--photo", "Fixtures/photos/happy-1.jpg", "--offline", "--size", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("mood: 0.9"), "\(result.stdout)")
        #expect(result.stdout.contains("(happy, from the photo)"))
    }
}
