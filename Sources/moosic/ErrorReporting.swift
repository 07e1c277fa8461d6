import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The one place where errors become exit codes and the one-line `moosic: error: …` message
/// (see ../shared/moosic-cli.md): 0 ok · 1 internal · 64 usage · 65 bad input data · 66 input file
/// missing · 75 temporary failure · 77 not authorised · 78 configuration.
enum ErrorReporting {
    static func exitCode(for error: MoosicError) -> Int32 {
        switch error {
        case .usage: return 64
        case .invalidData: return 65
        case .fileMissing: return 66
        case .temporary: return 75
        case .notAuthorised: return 77
        case .configuration: return 78
        case .internalFailure: return 1
        }
    }

    static func exit(with error: Error) -> Never {
        if let error = error as? MoosicError {
            printLine(error.message)
            Foundation.exit(exitCode(for: error))
        }
        if let error = error as? MLError { exit(with: MoosicError(error)) }
        let code = Moosic.exitCode(for: error)
        if code == .success {
            // --help, --version and the like: let ArgumentParser print them.
            Moosic.exit(withError: error)
        }
        if error is ExitCode { Foundation.exit(code.rawValue) }
        // A parsing or validation error: one line, exit 64, rather than ArgumentParser's usage block.
        let message = Moosic.message(for: error)
            .split(separator: "\n").first.map(String.init) ?? "invalid command line"
        printLine(message.replacingOccurrences(of: "Error: ", with: "") + " (see `moosic --help`)")
        Foundation.exit(64)
    }

    static func printLine(_ message: String) {
        let flattened = message.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("moosic: error: \(flattened)\n".utf8))
    }
}
