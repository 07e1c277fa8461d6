import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicApp

/// `Scripts/install` into a scratch prefix, then the installed binary run from elsewhere, away
/// from the checkout: it must find its data beside itself, not in the build or the source tree.
/// It installs the binary these tests run (`--binary`), not a second, release build.
@Suite struct InstallCLITests {
    let scratch: TemporaryDirectory
    let prefix: URL
    let elsewhere: URL
    let cli: CLIRunner

    init() throws {
        scratch = try TemporaryDirectory()
        prefix = scratch.url.appendingPathComponent("my prefix", isDirectory: true)
        elsewhere = scratch.url.appendingPathComponent("elsewhere", isDirectory: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        cli = try CLIRunner()
    }

    /// The moosic variables that would point the binary at the checkout, emptied.
    let isolated = ["MOOSIC_DATA": "", "MOOSIC_MODELS": "", "MOOSIC_CRONTAB": "/nonexistent/crontab"]

    func script(_ arguments: [String]) throws -> CLIRunner.Result {
        let runner = CLIRunner(runner: cli, executable: URL(fileURLWithPath: "/bin/bash"))
        // The tool ArgumentParser's generate-manual plugin runs, built beside moosic (Scripts/test builds it).
        let tool = CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("generate-manual")
        return try runner.run([CLIRunner.repositoryRoot.appendingPathComponent("Scripts/install").path] + arguments,
                              environment: ["MOOSIC_GENERATE_MANUAL": tool.path], in: elsewhere)
    }

    func path(_ relative: String) -> String { prefix.appendingPathComponent(relative).path }

    @Test func theInstalledBinaryRunsTheDemoAwayFromTheCheckoutAndUninstallKeepsTheState() throws {
        let install = try script(["--prefix", prefix.path, "--binary", CLIRunner.binary.path])
        try #require(install.status == 0, "\(install.stderr)")
        let files = ["bin/moosic", "share/moosic/Models/genre_forest.rf", "share/moosic/Models/face_mood.onnx",
                     "share/moosic/Fixtures/catalog.csv", "share/moosic/Fixtures/photos/happy-1.jpg",
                     "share/bash-completion/completions/moosic", "share/zsh/site-functions/_moosic",
                     "share/fish/vendor_completions.d/moosic.fish", "share/man/man1/moosic.1"]
        for file in files { #expect(FileManager.default.fileExists(atPath: path(file)), "\(file) not installed") }
        #expect(try String(contentsOfFile: path("share/bash-completion/completions/moosic"), encoding: .utf8).contains("doctor"))
        #expect(try String(contentsOfFile: path("share/zsh/site-functions/_moosic"), encoding: .utf8).hasPrefix("#compdef moosic"))
        #expect(try String(contentsOfFile: path("share/fish/vendor_completions.d/moosic.fish"), encoding: .utf8).contains("complete -c 'moosic'"))
        let manual = try String(contentsOfFile: path("share/man/man1/moosic.1"), encoding: .utf8)
        #expect(manual.contains(".Dt MOOSIC 1"))
        #expect(manual.contains("doctor"))

        let installed = CLIRunner(runner: cli, executable: prefix.appendingPathComponent("bin/moosic"))
        let help = try installed.run(["--help"], environment: isolated, in: elsewhere)
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("USAGE: moosic"))

        // The offline demo from the prefix gives what the built binary gives, byte for byte.
        let photo = path("share/moosic/Fixtures/photos/happy-1.jpg")
        let demo = ["--user", "moosicdemo", "--photo", photo, "--offline", "--seed", "7", "--json"]
        let fromPrefix = try installed.run(demo, environment: isolated, in: elsewhere)
        #expect(fromPrefix.status == 0, "\(fromPrefix.stderr)")
        let fromBuild = try CLIRunner().run(demo, environment: isolated, in: elsewhere)
        #expect(fromBuild.status == 0, "\(fromBuild.stderr)")
        // Byte for byte but the cover's path, which names the scratch home and the time of the run.
        func withoutCover(_ json: String) -> String {
            json.replacing(/"cover":"[^"]*"/, with: "\"cover\":\"…\"")
        }
        #expect(fromPrefix.stdout.contains("\"cover\":\""))
        #expect(withoutCover(fromPrefix.stdout) == withoutCover(fromBuild.stdout))
        #expect(fromPrefix.stdout.contains("\"tracks\":[{"))

        let doctor = try installed.run(["doctor", "--offline"], environment: isolated, in: elsewhere)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(doctor.stdout.contains("ok    genre model"))

        // cron runs the installed binary, not the build's.
        let cron = try installed.run(["cron", "--user", "moosicdemo", "--at", "04:30"], environment: isolated, in: elsewhere)
        #expect(cron.stdout.contains(" '\(path("bin/moosic"))' refresh --user moosicdemo "), "\(cron.stdout)")

        // Without its Models/ it looks beside itself only, never in the checkout.
        let models = path("share/moosic/Models")
        try FileManager.default.moveItem(atPath: models, toPath: models + ".away")
        let lost = try installed.run(demo, environment: isolated, in: elsewhere)
        try FileManager.default.moveItem(atPath: models + ".away", toPath: models)
        #expect(lost.status == 78)
        #expect(lost.stderr.contains(path("share/moosic/Models")))
        #expect(!lost.stderr.contains(CLIRunner.repositoryRoot.path))

        // With the default prefix, share/moosic is also the default MOOSIC_HOME: uninstall keeps the state.
        try Data("state".utf8).write(to: prefix.appendingPathComponent("share/moosic/moosic.sqlite"))
        let uninstall = try script(["--uninstall", "--prefix", prefix.path])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        for file in files { #expect(!FileManager.default.fileExists(atPath: path(file)), "\(file) left behind") }
        #expect(!FileManager.default.fileExists(atPath: path("share/bash-completion")))
        #expect(FileManager.default.fileExists(atPath: path("share/moosic/moosic.sqlite")))
    }

    @Test func aBinaryThatIsNotThereIsRefusedAndInstallsNothing() throws {
        let result = try script(["--prefix", prefix.path, "--binary", scratch.url.appendingPathComponent("nope").path])
        #expect(result.status == 66)
        #expect(!FileManager.default.fileExists(atPath: path("bin")))
        #expect(try script(["--bogus"]).status == 64)
    }
}
