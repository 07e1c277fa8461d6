import ArgumentParser
import Foundation
import MoosicApp

/// Where errors leave the program: ArgumentParser's own (below), then everyone else's by `ErrorReport`
/// (MoosicApp, which documents the table), as one line `moosic: error: …` on stderr
/// (see docs/cli.md): 0 ok · 1 internal · 64 usage · 65 bad input data · 66 input file
/// missing · 75 temporary failure · 77 not authorised · 78 configuration.
///
/// ArgumentParser's: `--help`, `--version` and the like exit 0, printed by ArgumentParser; an
/// `ExitCode` exits with its code, printing nothing; a parsing or validation error exits 64 with its
/// first line, which names the offending option (rather than ArgumentParser's usage block).
enum ErrorReporting {
    /// What to do with `error`: nil when ArgumentParser reports it itself.
    static func report(for error: Error, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> ErrorReport? {
        if error is ExitCode { return nil }
        switch Moosic.exitCode(for: error) {
        case .success:
            return nil
        case .validationFailure:
            var message = Moosic.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid command line"
            // ArgumentParser reports a missing required option, or a command's own validation, before an
            // unknown option (`moosic --bogus` would say "Missing expected argument '--user <user>'"): the
            // unknown one is named first.
            if !message.hasPrefix("Unknown option"), let unknown = unknownOption(in: arguments) {
                message = "Unknown option '\(unknown)'"
            }
            return ErrorReport(exitCode: 64, message: message.replacingOccurrences(of: "Error: ", with: "") + " (see `moosic --help`)")
        default:
            return ErrorReport(error)
        }
    }

    static func exit(with error: Error) -> Never {
        guard let report = report(for: error) else { Moosic.exit(withError: error) }
        let flattened = report.message.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("moosic: error: \(flattened)\n".utf8))
        Foundation.exit(report.exitCode)
    }

    /// The command description ArgumentParser dumps (`--experimental-dump-help`), as far as it is read here.
    struct CommandInfo: Decodable {
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var kind: String
            var names: [Name]?
        }
        var commandName: String
        var defaultSubcommand: String?
        var arguments: [Argument]?
        var subcommands: [CommandInfo]?
    }

    /// The first option on the command line that the command it runs does not have, e.g. `--bogus-flag`
    /// for `moosic --bogus-flag` (the default command, recommend); nil when every option is known.
    static func unknownOption(in arguments: [String]) -> String? {
        struct Dump: Decodable { var command: CommandInfo }
        guard let command = try? JSONDecoder().decode(Dump.self, from: Data(Moosic._dumpHelp().utf8)).command else { return nil }
        // The command: subcommand names as long as they match, else the default subcommand.
        var current = command
        var rest = arguments[...]
        while true {
            if let first = rest.first, let sub = current.subcommands?.first(where: { $0.commandName == first }) {
                current = sub
                rest = rest.dropFirst()
            } else if let name = current.defaultSubcommand, let sub = current.subcommands?.first(where: { $0.commandName == name }) {
                current = sub
            } else {
                break
            }
        }
        var takesValue: Set<String> = [], known: Set<String> = ["-h", "--help"]
        for argument in current.arguments ?? [] {
            for name in argument.names ?? [] {
                let spelled = name.kind == "long" ? "--\(name.name)" : name.kind == "short" ? "-\(name.name)" : "-\(name.name)"
                known.insert(spelled)
                if argument.kind == "option" { takesValue.insert(spelled) }
            }
        }
        var skipNext = false
        for word in rest {
            if skipNext { skipNext = false; continue }
            if word == "--" { break }
            guard word.hasPrefix("-"), word.count > 1, Double(word) == nil else { continue }
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if !known.contains(name) { return name }
            if takesValue.contains(name), !word.contains("=") { skipNext = true }
        }
        return nil
    }
}
