import Foundation
import MoosicCore
import MoosicML

/// What the user is told about an error that reaches the top, and the exit code (sysexits.h). The one
/// mapping of errors to exit codes; the command line adds ArgumentParser's own (ErrorReporting.swift).
///
/// | error | exit code | message |
/// |---|---|---|
/// | `MoosicError.usage` | 64 | its message |
/// | `MoosicError.invalidData` | 65 | its message |
/// | `MoosicError.fileMissing` | 66 | `no such file: <path>` |
/// | `MoosicError.temporary` | 75 | its message |
/// | `MoosicError.notAuthorised` | 77 | its message |
/// | `MoosicError.configuration` | 78 | its message |
/// | `MoosicError.internalFailure` | 1 | its message |
/// | `MLError` | as the `MoosicError` it is (`MoosicError.init(_:)`): 64 or 65 | its message |
/// | `CocoaError` / `POSIXError` "no such file" | 66 | `no such file: <path>` (or the error's description) |
/// | any other `CocoaError` / `POSIXError` | 1 | the error's description |
/// | anything else | 1 | `internal error: <the error>` |
public struct ErrorReport: Equatable, Sendable {
    public var exitCode: Int32
    public var message: String

    public init(exitCode: Int32, message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public init(_ error: MoosicError) {
        let code: Int32
        switch error {
        case .usage: code = 64
        case .invalidData: code = 65
        case .fileMissing: code = 66
        case .temporary: code = 75
        case .notAuthorised: code = 77
        case .configuration: code = 78
        case .internalFailure: code = 1
        }
        self.init(exitCode: code, message: error.message)
    }

    public init(_ error: any Error) {
        switch error {
        case let error as MoosicError:
            self.init(error)
        case let error as MLError:
            self.init(MoosicError(error))
        case let error as CocoaError:
            let missing: Set<CocoaError.Code> = [.fileNoSuchFile, .fileReadNoSuchFile]
            if missing.contains(error.code), let path = error.filePath ?? error.url?.path {
                self.init(MoosicError.fileMissing(path: path))
            } else {
                self.init(exitCode: missing.contains(error.code) ? 66 : 1, message: error.localizedDescription)
            }
        case let error as POSIXError:
            self.init(exitCode: error.code == .ENOENT ? 66 : 1, message: String(cString: strerror(error.code.rawValue)))
        default:
            self.init(exitCode: 1, message: "internal error: \(error)")
        }
    }
}
