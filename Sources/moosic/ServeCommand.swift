import ArgumentParser
import Foundation
import MoosicApp
import MoosicCore
import MoosicServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve moosic's page on 127.0.0.1: camera or photo → mood → playlist, the mood history, the Spotify login.",
        discussion: """
            Open the printed URL in a browser on this machine. The page reads the mood from the camera (several \
            frames combined) or an uploaded photo and writes the same one playlist as `moosic --photo`. Loopback \
            only; the Host header must name 127.0.0.1 or localhost with the port. Stop with Ctrl-C.
            """
    )

    @Option(help: "The port on 127.0.0.1 (0: any free port).") var port: Int = 8080
    @Option(help: "The Spotify user id (default: the one user logged in; offline: moosicdemo).") var user: String?
    @Option(help: "The port of the Spotify login's callback (the redirect URI registered with the app).") var loginPort: UInt16 = 8888
    @Flag(help: "No network: library from Fixtures (or the store), playlist written to the local store.") var offline = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let backend = try PageBackend(installation: Installation.current(), user: user, offline: offline, loginPort: loginPort)
        try await PageServer.run(backend: backend, port: port) { bound in
            FileHandle.standardError.write(Data("moosic serve: http://127.0.0.1:\(bound)/ (Ctrl-C to stop)\n".utf8))
            Task { await backend.warmUp() }
        }
    }
}
