import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `moosic serve` as a process: it prints where it listens, serves the page, stops on SIGTERM; a bad
/// or busy port is a one-line error with its exit code. (The page itself: MoosicServerTests and
/// Scripts/browser-test.py.)
@Suite struct ServeCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    @Test func servesThePageOnLoopbackAndStopsOnSIGTERM() async throws {
        let running = try cli.start(["serve", "--offline", "--port", "0"])
        let line = try running.stderrLine(timeout: 60) { $0.hasPrefix("moosic serve: http://127.0.0.1:") }
        let url = try #require(URL(string: String(line.dropFirst("moosic serve: ".count).prefix { $0 != " " })))
        let (body, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("<script src=\"/page.js\"></script>"))
        running.process.terminate()
        let result = running.wait()
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aBadPortIs64AndABusyOne75() throws {
        let bad = try cli.run(["serve", "--port", "70000"])
        #expect(bad.status == 64 && bad.stderr.contains("--port must be between 0 and 65535"))

        let running = try cli.start(["serve", "--offline", "--port", "0"])
        let line = try running.stderrLine(timeout: 60) { $0.hasPrefix("moosic serve: http://127.0.0.1:") }
        let port = try #require(line.firstMatch(of: /127\.0\.0\.1:(\d+)/)?.1).description
        defer { running.process.terminate(); _ = running.wait() }
        let busy = try cli.run(["serve", "--offline", "--port", port])
        #expect(busy.status == 75)
        #expect(busy.stderr.hasSuffix("moosic: error: port \(port) on 127.0.0.1 is in use (another moosic serve?): stop it or choose another with --port\n"), "\(busy.stderr)")
    }
}
