import Foundation
import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct CronCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    @Test func printsOneCrontabLineWithTheAbsoluteBinary() throws {
        let result = try cli.run(["cron", "--user", "moosicdemo", "--at", "05:45"])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = result.stdout.split(separator: " ")
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(fields.prefix(5) == ["45", "5", "*", "*", "*"])
        #expect(result.stdout.contains("MOOSIC_HOME=\(cli.home.path)"))
        #expect(result.stdout.contains(" refresh --user moosicdemo >> \(cli.home.path)/refresh.log 2>&1"))
        let binary = try #require(fields.first { $0.hasSuffix("/moosic") })
        #expect(binary.hasPrefix("/"))
        #expect(FileManager.default.isExecutableFile(atPath: String(binary)))
    }

    @Test func withoutATimeTheMinuteIsRandomAt4() throws {
        let minutes = try (0..<6).map { _ in
            let fields = try cli.run(["cron", "--user", "u"]).stdout.split(separator: " ")
            #expect(fields[1] == "4")
            return try #require(Int(fields[0]))
        }
        #expect(minutes.allSatisfy { (0...59).contains($0) })
        #expect(Set(minutes).count > 1)
    }

    @Test func aBadTimeIsAUsageError() throws {
        let result = try cli.run(["cron", "--user", "u", "--at", "25:00"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("HH:MM"))
    }
}
