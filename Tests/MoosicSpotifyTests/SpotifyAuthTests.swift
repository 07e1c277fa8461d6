import Foundation
import Testing
import TestSupport
import SpotifyEmulator
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct SpotifyAuthTests {
    @Test func pkceChallengeIsRFC7636S256AndFreshEachTime() {
        // Expected value from Python: base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()) without "=".
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mJ92WNEN67YCu0VeOUcYprAEHu-Nx0") == "qASpD0qYsoUD5TPsKgJJMa0xum97zvzV_Q6OUMEkqOw")
        let a = PKCE(), b = PKCE()
        #expect(a.verifier != b.verifier)
        #expect(a.state != b.state)
        #expect((43...128).contains(a.verifier.count))
        #expect(a.verifier.allSatisfy { $0.isLetter || $0.isNumber || "-_".contains($0) })
    }

    @Test func loginStoresTokensUnderTheUserIdInA0600File() async throws {
        let harness = try await SpotifyHarness(login: false)
        let tokens = try await harness.login()
        #expect(tokens.userID == fixtureUser)
        #expect(tokens.displayName == "Moosic Demo")
        let store = TokenStore(environment: harness.environment)
        let saved = try #require(try store.tokens(for: fixtureUser))
        #expect(saved.accessToken == tokens.accessToken && saved.refreshToken == tokens.refreshToken)
        #expect(saved.clientID == harness.emulator.clientID)
        #expect(abs(saved.expiresAt.timeIntervalSince(tokens.expiresAt)) < 1)
        let fileMode = try FileManager.default.attributesOfItem(atPath: store.url.path)[.posixPermissions] as? Int
        let homeMode = try FileManager.default.attributesOfItem(atPath: harness.environment.home.path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(homeMode == 0o700)
        // The description can be logged: it shows no token.
        for token in harness.emulator.issuedTokens { #expect(!"\(tokens)".contains(token)) }
        // The authorize request carried S256 and a redirect to 127.0.0.1, never localhost.
        let authorize = try #require(harness.emulator.requests.first { $0.path == "/accounts/authorize" })
        #expect(authorize.query["code_challenge_method"] == "S256")
        #expect(authorize.query["redirect_uri"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(authorize.query["redirect_uri"]?.hasSuffix("/callback") == true)
    }

    @Test func aCallbackWithTheWrongStateIsRefused() async throws {
        let harness = try await SpotifyHarness(login: false)
        let login = SpotifyLogin(configuration: harness.configuration(), environment: harness.environment)
        await #expect(throws: MoosicError.notAuthorised(
            "the login callback carried the wrong state (not this login's): run `moosic auth login` again")) {
            _ = try await login.run(port: 0, timeout: 20) { url in
                var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
                components.queryItems = components.queryItems!.map { $0.name == "state" ? URLQueryItem(name: "state", value: "forged") : $0 }
                let forged = components.url!
                Task { try? await actAsBrowser(forged) }
            }
        }
        #expect(try TokenStore(environment: harness.environment).all().isEmpty)
    }

    @Test func noClientIdIsAConfigurationErrorNamingTheRedirectURI() async throws {
        let harness = try await SpotifyHarness(login: false)
        var configuration = harness.configuration()
        configuration.clientID = nil
        do {
            _ = try await SpotifyLogin(configuration: configuration, environment: harness.environment).run(port: 8765) { _ in }
            Issue.record("login without a client id succeeded")
        } catch let error as MoosicError {
            guard case .configuration(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("http://127.0.0.1:8765/callback"))
            #expect(message.contains("developer.spotify.com"))
        }
    }

    @Test func anExpiredAccessTokenIsRefreshedAndARefreshWithoutRefreshTokenKeepsTheOldOne() async throws {
        let harness = try await SpotifyHarness()
        let before = try #require(try TokenStore(environment: harness.environment).tokens(for: fixtureUser))
        harness.emulator.expireAccessTokens()
        // The client still believes its token is fresh: Spotify's 401 makes it refresh once.
        _ = try await harness.sync()
        let after = try #require(try TokenStore(environment: harness.environment).tokens(for: fixtureUser))
        #expect(after.accessToken != before.accessToken)
        #expect(after.refreshToken == before.refreshToken)
        #expect(harness.requests("POST", "/accounts/api/token") == 2)
    }

    @Test func aRotatedRefreshTokenReplacesTheOldOne() async throws {
        let harness = try await SpotifyHarness()
        let before = try #require(try TokenStore(environment: harness.environment).tokens(for: fixtureUser))
        harness.emulator.rotateRefreshTokens = true
        harness.emulator.expireAccessTokens()
        _ = try await harness.sync()
        let after = try #require(try TokenStore(environment: harness.environment).tokens(for: fixtureUser))
        #expect(after.refreshToken != before.refreshToken)
        #expect(harness.emulator.issuedTokens.contains(after.refreshToken))
    }

    @Test func theTokenIsRefreshedBeforeItExpires() async throws {
        let harness = try await SpotifyHarness()
        let inTwoHours = Date().addingTimeInterval(7200)
        let session = try harness.session(now: { inTwoHours })
        _ = try await LibrarySync(session: session, repository: harness.store).sync(user: fixtureUser)
        // One refresh up front, no 401 at all.
        #expect(harness.requests("POST", "/accounts/api/token") == 2)
        #expect(!harness.emulator.requests.isEmpty)
    }

    @Test func aRevokedRefreshTokenIsNotAuthorisedAndWritesNothing() async throws {
        let harness = try await SpotifyHarness()
        harness.emulator.expireAccessTokens()
        harness.emulator.revokeRefreshTokens()
        do {
            _ = try await harness.sync()
            Issue.record("sync succeeded with a revoked refresh token")
        } catch let error as MoosicError {
            guard case .notAuthorised(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("invalid_grant"))
            #expect(message.contains("run `moosic auth login` again"))
        }
        do {
            _ = try await harness.write(try fixtureTrackURIs(3))
            Issue.record("write succeeded with a revoked refresh token")
        } catch MoosicError.notAuthorised {}
        let sizes = try harness.store.tableSizes()
        let rows = ["user_profile", "library_playlist", "liked_track", "generated_playlist", "spotify_pending_playlist"].map { sizes[$0] }
        #expect(rows == [0, 0, 0, 0, 0])
        #expect(harness.emulator.createdPlaylists().isEmpty)
    }

    @Test func noLoginIsNotAuthorised() async throws {
        let harness = try await SpotifyHarness(login: false)
        #expect(throws: MoosicError.notAuthorised("no Spotify login for \(fixtureUser): run `moosic auth login` first")) {
            _ = try harness.session()
        }
    }
}
