import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicApp

@Suite struct ErrorReportTests {
    @Test(arguments: [
        (MoosicError.usage("u"), Int32(64)), (.invalidData("d"), 65), (.fileMissing(path: "/p"), 66),
        (.temporary("t"), 75), (.notAuthorised("a"), 77), (.configuration("c"), 78), (.internalFailure("i"), 1),
    ])
    func moosicErrorsByCase(error: MoosicError, code: Int32) {
        #expect(ErrorReport(error as any Error) == ErrorReport(exitCode: code, message: error.message))
    }

    @Test func mlErrorsAreTheMoosicErrorsTheyBecome() {
        #expect(ErrorReport(MLError.invalidSettings("trees must be positive")) == ErrorReport(exitCode: 64, message: "trees must be positive"))
        #expect(ErrorReport(MLError.invalidData("bad model bytes")) == ErrorReport(exitCode: 65, message: "bad model bytes"))
    }

    @Test func aMissingFileIs66NamingIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("nope.txt").path
        do {
            _ = try String(contentsOfFile: path, encoding: .utf8)
            Issue.record("read a missing file")
        } catch {
            #expect(ErrorReport(error) == ErrorReport(exitCode: 66, message: "no such file: \(path)"))
        }
        #expect(ErrorReport(CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "/a/b"]))
                == ErrorReport(exitCode: 66, message: "no such file: /a/b"))
        #expect(ErrorReport(POSIXError(.ENOENT)) == ErrorReport(exitCode: 66, message: "No such file or directory"))
    }

    @Test func otherFileErrorsAre1WithTheirDescription() throws {
        #expect(ErrorReport(POSIXError(.EACCES)) == ErrorReport(exitCode: 1, message: "Permission denied"))
        let denied = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/a/b"])
        #expect(ErrorReport(denied) == ErrorReport(exitCode: 1, message: denied.localizedDescription))
        #expect(!denied.localizedDescription.isEmpty)
    }

    @Test func anythingElseIsAnInternalError() throws {
        struct Unexpected: Error {}
        #expect(ErrorReport(Unexpected()) == ErrorReport(exitCode: 1, message: "internal error: Unexpected()"))
        // NaN has no JSON: an encoding error is internal, not a usage error.
        do {
            _ = try JSONEncoder().encode([Double.nan])
            Issue.record("NaN encoded")
        } catch {
            let report = ErrorReport(error)
            #expect(report.exitCode == 1)
            #expect(report.message.hasPrefix("internal error: "))
        }
    }
}
