import ArgumentParser
import Foundation
import MoosicCore
import MoosicIO
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Log in to Spotify, see who is logged in, log out.",
        subcommands: [Login.self, Status.self, Logout.self]
    )

    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log in to Spotify in the browser (Authorization Code with PKCE).",
            discussion: """
                Needs MOOSIC_CLIENT_ID: the client id of a Spotify app whose redirect URIs include \
                http://127.0.0.1:PORT/callback. Prints the authorize URL on stderr, opens it with xdg-open \
                (unless --no-browser) and waits for Spotify's redirect. Several users may log in; each \
                one's tokens are kept in MOOSIC_HOME (mode 0600).
                """
        )

        @Option(help: "The port of the callback listener on 127.0.0.1 (0: any free port, for an app whose redirect URI is registered without a port).") var port: UInt16 = 8888
        @Flag(help: "Only print the authorize URL; do not open a browser.") var noBrowser = false

        func run() async throws {
            let installation = try Installation.current()
            let login = SpotifyLogin(configuration: try installation.spotify, environment: installation.environment)
            let openBrowser = !noBrowser
            let tokens = try await login.run(port: port) { url in
                FileHandle.standardError.write(Data("""
                    Open this URL in a browser to log in to Spotify:
                    \(url.absoluteString)
                    Waiting for Spotify's redirect to 127.0.0.1 …

                    """.utf8))
                if openBrowser { Self.open(url) }
            }
            let name = tokens.displayName.map { " (\($0))" } ?? ""
            print("logged in as \(tokens.userID)\(name)")
        }

        static func open(_ url: URL) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["xdg-open", url.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            // Without a desktop the URL printed above is the way.
            try? process.run()
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show who is logged in and how old their tokens are (never the tokens).")

        @Flag(help: "Print the status as JSON.") var json = false

        struct UserJSON: Encodable {
            var user: String
            var displayName: String?
            var loggedInAt: String
            var tokenAgeSeconds: Int
            var expiresInSeconds: Int
            var scope: String
        }

        func run() throws {
            let users = try TokenStore(environment: Installation.current().environment).all().values.sorted { $0.userID < $1.userID }
            let now = Date()
            let formatter = ISO8601DateFormatter()
            let rows = users.map {
                UserJSON(user: $0.userID, displayName: $0.displayName, loggedInAt: formatter.string(from: $0.loggedInAt),
                         tokenAgeSeconds: Int(now.timeIntervalSince($0.issuedAt)),
                         expiresInSeconds: Int($0.expiresAt.timeIntervalSince(now)), scope: $0.scope)
            }
            if json {
                struct Wrapper: Encodable { var users: [UserJSON] }
                try Output.printJSON(Wrapper(users: rows))
                return
            }
            guard !rows.isEmpty else {
                print("nobody is logged in: run `moosic auth login`")
                return
            }
            for row in rows {
                let expiry = row.expiresInSeconds > 0 ? "expires in \(Self.duration(row.expiresInSeconds))"
                    : "expired (refreshed at the next use)"
                print("\(row.user)\(row.displayName.map { " (\($0))" } ?? ""): logged in \(row.loggedInAt), "
                      + "access token \(Self.duration(row.tokenAgeSeconds)) old, \(expiry)")
            }
        }

        static func duration(_ seconds: Int) -> String {
            let seconds = max(seconds, 0)
            if seconds < 120 { return "\(seconds) s" }
            if seconds < 7200 { return "\(seconds / 60) min" }
            if seconds < 172_800 { return "\(seconds / 3600) h" }
            return "\(seconds / 86400) days"
        }
    }

    struct Logout: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a user's Spotify tokens.")

        @Option(help: "The Spotify user id.") var user: String

        func run() throws {
            guard try TokenStore(environment: Installation.current().environment).remove(user: user) else {
                throw MoosicError.notAuthorised("no Spotify login for \(user)")
            }
            print("logged out \(user)")
        }
    }
}
