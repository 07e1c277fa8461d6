import Foundation
import MoosicIO
import Testing
import TestSupport
@testable import MoosicServer

/// The page's files as moosic serves them: the bytes of `Sources/MoosicServer/Resources`, embedded.
@Suite struct PageAssetsTests {
    static let resources = repositoryRoot.appendingPathComponent("Sources/MoosicServer/Resources")

    static func file(_ name: String) throws -> Data {
        try Data(contentsOf: resources.appendingPathComponent(name))
    }

    /// node, when this machine has it (a fresh Debian may not: the syntax check is then skipped;
    /// the browser tests still run the script).
    static let node: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("node") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    @Test func servedBytesAreTheFilesBytes() throws {
        #expect(Data(PageAssets.script.utf8) == (try Self.file("page.js")))
        #expect(Data(PageAssets.style.utf8) == (try Self.file("page.css")))
        let page = String(decoding: try Self.file("page.html"), as: UTF8.self)
        #expect(page.components(separatedBy: PageAssets.csrfTokenPlaceholder).count == 2, "the page takes the token once")
        let token = String(repeating: "ab", count: 32)
        #expect(PageAssets.html(csrfToken: token)
                == page.replacingOccurrences(of: PageAssets.csrfTokenPlaceholder, with: token))
        #expect(PageAssets.html(csrfToken: token).contains(#"<meta name="csrf-token" content="\#(token)">"#))
    }

    @Test(.enabled(if: node != nil, "node is not installed")) func scriptParses() throws {
        let process = Process()
        process.executableURL = Self.node
        process.arguments = ["--check", Self.resources.appendingPathComponent("page.js").path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
