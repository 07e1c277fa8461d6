import Foundation
import Testing
import TestSupport

/// MoosicCore is the domain: files, the network, the environment and the wall clock come in through its
/// protocols and arguments (MoosicIO and MoosicApp implement them), never from Core itself.
@Suite struct LayeringTests {
    /// What doing I/O looks like in Swift source, and why each is out of Core.
    static let forbidden: [(pattern: String, what: String)] = [
        ("FileManager", "files"), ("FileHandle", "files"), ("fopen(", "files"), ("open(", "files"), ("flock(", "file locks"),
        ("contentsOfFile", "files"), ("Data(contentsOf", "files"), (".write(to:", "files"),
        ("URLSession", "the network"), ("ProcessInfo", "the environment"), ("getenv(", "the environment"),
        ("Date()", "the wall clock"),
    ]

    @Test func coreOpensNoFileNoConnectionAndReadsNoVariableOrClock() throws {
        let core = repositoryRoot.appendingPathComponent("Sources/MoosicCore")
        let files = try #require(FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 30)
        var offenders: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                for (pattern, what) in Self.forbidden where code.contains(pattern) {
                    // `open(` also matches names like `isOpen(`; only the bare POSIX call counts.
                    if pattern == "open(", let range = code.range(of: pattern), range.lowerBound > code.startIndex,
                       code[code.index(before: range.lowerBound)].isLetter || code[code.index(before: range.lowerBound)] == "." {
                        continue
                    }
                    offenders.append("\(file.lastPathComponent):\(number + 1) \(pattern) (\(what))")
                }
            }
        }
        #expect(offenders.isEmpty, "MoosicCore does I/O: \(offenders)")
    }
}
