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
    static func report(for error: Error) -> ErrorReport? {
        if error is ExitCode { return nil }
        switch Moosic.exitCode(for: error) {
        case .success:
            return nil
        case .validationFailure:
            let message = Moosic.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid command line"
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
}
