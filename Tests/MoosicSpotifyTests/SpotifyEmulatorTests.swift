import Foundation
import Testing
import TestSupport
import SpotifyEmulator
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// The emulator refuses what Spotify refuses: otherwise the other Spotify tests could pass against
/// an emulator more lenient than the real service.
@Suite struct SpotifyEmulatorTests {
    func call(_ harness: SpotifyHarness, _ method: String, _ path: String, token: String? = nil,
              json: Any? = nil) async throws -> HTTPResponse {
        let saved = try TokenStore(environment: harness.environment).tokens(for: fixtureUser)
        var headers: [String: String] = ["Authorization": "Bearer \(token ?? saved?.accessToken ?? "")"]
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            headers["Content-Type"] = "application/json"
        }
        return try await URLSessionTransport().send(HTTPRequest(
            method: method, url: URL(string: harness.emulator.apiURL.absoluteString + path)!, headers: headers, body: body))
    }

    @Test func refusesWhatSpotifyRefuses() async throws {
        let harness = try await SpotifyHarness()
        #expect(try await call(harness, "GET", "/me").status == 200)
        #expect(try await call(harness, "GET", "/me", token: "forged").status == 401)
        #expect(try await call(harness, "GET", "/me/playlists?limit=51&offset=0").status == 400)
        #expect(try await call(harness, "GET", "/me/tracks?limit=50&offset=0").status == 200)
        // Development Mode: others' playlists' items, and the removed endpoints.
        #expect(try await call(harness, "GET", "/playlists/w5iLqq6FclX2v5b6GDssOf/items?limit=50").status == 403)
        #expect(try await call(harness, "GET", "/playlists/CchuV0DuNkixRz91tzLXiY/tracks").status == 403)
        #expect(try await call(harness, "GET", "/users/moosicdemo/playlists").status == 403)
        #expect(try await call(harness, "GET", "/audio-features?ids=x").status == 403)
        #expect(try await call(harness, "GET", "/recommendations?seed_genres=rock").status == 403)
        let tooMany = (0..<101).map { "spotify:track:\(String(repeating: "a", count: 21))\($0 % 10)" }
        #expect(try await call(harness, "PUT", "/playlists/CchuV0DuNkixRz91tzLXiY/items", json: ["uris": tooMany]).status == 400)
        #expect(try await call(harness, "POST", "/playlists/CchuV0DuNkixRz91tzLXiY/items", json: ["uris": tooMany]).status == 400)
        #expect(try await call(harness, "GET", "/playlists/nosuchplaylist0000000").status == 404)
        #expect(try await call(harness, "PUT", "/playlists/CchuV0DuNkixRz91tzLXiY/items",
                               json: ["uris": ["spotify:track:0000000000000000000000"]]).status == 400)
    }

    @Test func checksTheCodeVerifier() async throws {
        let harness = try await SpotifyHarness(login: false)
        let pkce = PKCE()
        let accounts = SpotifyAccounts(accountsURL: harness.emulator.accountsURL,
                                       requester: RetryingTransport(transport: URLSessionTransport(), configuration: harness.configuration()))
        // A stand-in for moosic's callback listener that only keeps what the redirect brings.
        final class Box: @unchecked Sendable { var query: [String: String] = [:] }
        let box = Box()
        let callback = try LoopbackHTTPServer { request in
            box.query = request.query
            return .respond(HTTPResponse(status: 200))
        }
        defer { callback.stop() }
        let redirect = "http://127.0.0.1:\(callback.port)/callback"
        let authorize = accounts.authorizeURL(clientID: harness.emulator.clientID, redirectURI: redirect,
                                              pkce: pkce, scopes: ["user-read-private"])
        #expect(try await URLSessionTransport().send(HTTPRequest(method: "GET", url: authorize)).status == 200)
        #expect(box.query["state"] == pkce.state)
        let code = try #require(box.query["code"])
        await #expect(throws: MoosicError.notAuthorised("Spotify refused the login (invalid_grant): run `moosic auth login` again")) {
            _ = try await accounts.exchange(code: code, redirectURI: redirect,
                                            verifier: PKCE().verifier, clientID: harness.emulator.clientID)
        }
    }
}
