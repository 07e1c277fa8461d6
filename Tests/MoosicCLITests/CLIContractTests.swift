import Foundation
import Testing

/// docs/cli.md is the command-line contract. It stays in step with the binary: every subcommand that
/// `moosic help` (and each group's `--help`) lists, and every option each command's `--help` shows, is
/// named in it, an option in its command's section (`### moosic <command>`, or the section of the group
/// the command belongs to).
@Suite struct CLIContractTests {
    let cli: CLIRunner
    let contract: String

    init() throws {
        cli = try CLIRunner()
        contract = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
    }

    /// What one `--help` shows: its subcommands and its options' long names (`--help` left out).
    struct Help: Equatable {
        var subcommands: [String] = []
        var options: [String] = []

        init(_ text: String) {
            var section = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if let first = line.first, !first.isWhitespace, line.hasSuffix(":") {
                    section = line
                    continue
                }
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
                let entry = line.dropFirst(2)
                switch section {
                case "SUBCOMMANDS:":
                    if let name = entry.split(separator: " ").first, !entry.hasPrefix("See ") {
                        subcommands.append(String(name))
                    }
                case "OPTIONS:":
                    let names = entry.split(separator: " ").prefix(2).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
                    if let long = names.first(where: { $0.hasPrefix("--") }), long != "--help", long != "--version" {
                        options.append(long)
                    }
                default:
                    break
                }
            }
        }
    }

    /// Every command path under `path` (the root when empty), each with its help.
    func commands(under path: [String] = []) throws -> [(path: [String], help: Help)] {
        let result = try cli.run(path.isEmpty ? ["help"] : path + ["--help"])
        #expect(result.status == 0, "\(path) --help: \(result.stderr)")
        let help = Help(result.stdout)
        var all = [(path, help)]
        for name in help.subcommands where name != "help" {
            all += try commands(under: path + [name])
        }
        return all
    }

    /// The text of `### moosic <path>`, up to the next heading; nil when there is no such section.
    func section(_ path: [String]) -> String? {
        let heading = "### moosic " + path.joined(separator: " ") + "\n"
        guard let start = contract.range(of: heading) else { return nil }
        let rest = contract[start.upperBound...]
        let end = rest.range(of: "\n#")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    static func names(_ option: String, in text: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: option, range: searchRange) {
            let next = found.upperBound < text.endIndex ? text[found.upperBound] : " "
            if !(next.isLetter || next.isNumber || next == "-") { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    @Test func helpIsParsedIntoSubcommandsAndOptions() {
        let help = Help("""
            USAGE: moosic x

            ARGUMENTS:
              <csv>                   The CSV file.

            OPTIONS:
              --user <user>           The user.
              --a-very-long-option-name <a-very-long-option-name>
                                      Wrapped.
              -h, --help              Show help information.

            SUBCOMMANDS:
              recommend (default)     Read the mood.
              --not-an-option         (a subcommand column)

              See 'moosic help <subcommand>' for detailed help.
            """)
        #expect(help.options == ["--user", "--a-very-long-option-name"])
        #expect(help.subcommands == ["recommend", "--not-an-option"])
    }

    @Test func theCheckFindsAnOptionOnlyAsAWholeName() {
        #expect(Self.names("--seed", in: "`--seed <n>`"))
        #expect(!Self.names("--seed", in: "`--seeds 1,2,3`"))
        #expect(!Self.names("--user", in: "nothing here"))
    }

    @Test func everySubcommandAndOptionOfTheHelpIsInTheContract() throws {
        let all = try commands()
        #expect(all.count > 20, "the help lists the commands: \(all.map(\.path))")
        #expect(all.contains { $0.path == ["config", "set"] })
        var missing: [String] = []
        for (path, help) in all where !path.isEmpty {
            let command = "moosic " + path.joined(separator: " ")
            guard Self.names(command, in: contract) else {
                missing.append("command `\(command)`")
                continue
            }
            // The command's own section, else its group's (e.g. `config get` in `### moosic config`).
            let text = section(path) ?? section(Array(path.dropLast()))
            guard let text else {
                if !help.options.isEmpty { missing.append("a section `### \(command)`") }
                continue
            }
            for option in help.options where !Self.names(option, in: text) {
                missing.append("\(option) of `\(command)`")
            }
        }
        #expect(missing.isEmpty, "docs/cli.md lacks: \(missing.joined(separator: "; "))")
    }

    /// The development data is outside the repository (`../shared` on the development machines): no
    /// user-facing file points there; the development scripts reach it through MOOSIC_DEV_DATA.
    @Test func noUserFacingFilePointsOutsideTheRepository() throws {
        let root = CLIRunner.repositoryRoot
        var offenders: [String] = []
        var files = [root.appendingPathComponent("README.md")]
        for folder in ["docs", "Models", "Fixtures", "Sources"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                let values = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                // Text files; the models and the shipped catalog are binary (and large).
                if values.isRegularFile == true, (values.fileSize ?? 0) < 4 << 20 { files.append(url) }
            }
        }
        let needle = Data("../shared".utf8)
        for file in files where try Data(contentsOf: file).range(of: needle) != nil {
            offenders.append(String(file.path.dropFirst(root.path.count + 1)))
        }
        #expect(files.count > 50)
        #expect(offenders.isEmpty, "these point to ../shared: \(offenders)")
    }
}
