import Foundation
import Testing
@testable import MoosicApp

@Suite struct ProgressReporterTests {
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [String] = []
        func write(_ text: String) { lock.lock(); parts.append(text); lock.unlock() }
        var written: [String] { lock.lock(); defer { lock.unlock() }; return parts }
    }

    @Test func notATerminalOrJSONMeansNoReporter() {
        #expect(ProgressReporter(label: "x", isTerminal: false) == nil)
        #expect(ProgressReporter(label: "x", json: true, isTerminal: true) == nil)
    }

    @Test func theTestProcessStderrIsNoTerminalSoTheDefaultShowsNothing() {
        // swift test pipes the test process's output; the default asks isatty(stderr).
        #expect((ProgressReporter(label: "x") == nil) == (isatty(STDERR_FILENO) == 0))
    }

    @Test func onATerminalALineIsRedrawnOnlyWhenItChangesAndClearedAtTheEnd() throws {
        let sink = Sink()
        let progress = try #require(ProgressReporter(label: "importing f.csv", isTerminal: true, write: sink.write))
        progress.update(0.101)
        progress.update(0.104)
        progress.update(2)
        progress.update(done: 3, of: 160, "trees")
        progress.finish()
        progress.finish()
        #expect(sink.written == ["\r\u{1B}[Kimporting f.csv … 10%", "\r\u{1B}[Kimporting f.csv … 100%",
                                 "\r\u{1B}[Kimporting f.csv … 3 of 160 trees", "\r\u{1B}[K"])
    }

    @Test func finishWithoutAnyUpdateWritesNothing() throws {
        let sink = Sink()
        try #require(ProgressReporter(label: "x", isTerminal: true, write: sink.write)).finish()
        #expect(sink.written.isEmpty)
    }
}
