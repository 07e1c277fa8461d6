import Foundation
import MoosicCore
import MoosicIO

/// Spotify's accounts service: the authorize URL and the token endpoint (`/api/token`), PKCE style
/// (a client id, no secret).
public struct SpotifyAccounts: Sendable {
    public let accountsURL: URL
    let requester: RetryingTransport

    public init(accountsURL: URL, requester: RetryingTransport) {
        self.accountsURL = accountsURL
        self.requester = requester
    }

    struct TokenAnswer: Decodable {
        var access_token: String
        var token_type: String?
        var scope: String?
        var expires_in: Int
        var refresh_token: String?
    }

    public func authorizeURL(clientID: String, redirectURI: String, pkce: PKCE, scopes: [String]) -> URL {
        var components = URLComponents(url: accountsURL.appendingPathComponent("authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "state", value: pkce.state),
            URLQueryItem(name: "scope", value: scopes.joined(separator: " ")),
        ]
        return components.url!
    }

    func exchange(code: String, redirectURI: String, verifier: String, clientID: String) async throws -> TokenAnswer {
        try await tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                                ("client_id", clientID), ("code_verifier", verifier)],
                               repeatable: false, user: nil)
    }

    func refresh(refreshToken: String, clientID: String, user: String) async throws -> TokenAnswer {
        try await tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID)],
                               repeatable: true, user: user)
    }

    private func tokenRequest(_ fields: [(String, String)], repeatable: Bool, user: String?) async throws -> TokenAnswer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: accountsURL.appendingPathComponent("api/token"),
                                  headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                                  body: Data(body.utf8))
        let response = try await requester.send(request, repeatable: repeatable)
        guard response.status == 200 else {
            struct OAuthError: Decodable { var error: String?; var error_description: String? }
            let error = (try? JSONDecoder().decode(OAuthError.self, from: response.body))?.error ?? "HTTP \(response.status)"
            let whose = user.map { " of \($0)" } ?? ""
            if error == "invalid_grant" {
                throw MoosicError.notAuthorised("Spotify refused the login\(whose) (invalid_grant): run `moosic auth login` again")
            }
            if error == "invalid_client" {
                throw MoosicError.configuration("Spotify does not know the client id (invalid_client): check MOOSIC_CLIENT_ID")
            }
            throw MoosicError.notAuthorised("Spotify's token endpoint refused the request (\(error)): run `moosic auth login` again")
        }
        return try SpotifyClient.decode(TokenAnswer.self, response.body, "POST /api/token")
    }
}

/// Keeps one user's access token fresh: refreshed a minute before it expires, or when Spotify
/// answered 401; every new token is saved at once in the token store.
public actor SpotifyTokenManager: AccessTokenProvider {
    private var tokens: SpotifyTokens
    private let store: TokenStore
    private let accounts: SpotifyAccounts
    private let now: @Sendable () -> Date

    public init(tokens: SpotifyTokens, store: TokenStore, accounts: SpotifyAccounts,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.tokens = tokens
        self.store = store
        self.accounts = accounts
        self.now = now
    }

    public func accessToken(forceRefresh: Bool) async throws -> String {
        if forceRefresh || tokens.expiresAt.addingTimeInterval(-60) <= now() {
            let answer = try await accounts.refresh(refreshToken: tokens.refreshToken, clientID: tokens.clientID, user: tokens.userID)
            tokens.accessToken = answer.access_token
            // Spotify may or may not rotate the refresh token; without a new one the old one stays valid.
            if let rotated = answer.refresh_token, !rotated.isEmpty { tokens.refreshToken = rotated }
            if let scope = answer.scope { tokens.scope = scope }
            tokens.issuedAt = now()
            tokens.expiresAt = now().addingTimeInterval(TimeInterval(answer.expires_in))
            try store.save(tokens)
        }
        return tokens.accessToken
    }
}

/// A logged-in user's way to the Web API (or, offline, to the fixture files).
public struct SpotifySession: Sendable {
    public let user: String
    public let client: SpotifyClient
    /// The scopes the user granted at login (empty offline).
    public let grantedScopes: Set<String>

    public init(user: String, client: SpotifyClient, grantedScopes: Set<String> = []) {
        self.user = user
        self.client = client
        self.grantedScopes = grantedScopes
    }

    /// The session of a user who ran `moosic auth login`; `notAuthorised` (77) when there is none.
    public static func forUser(_ id: String, environment: MoosicEnvironment,
                               configuration: SpotifyConfiguration,
                               transport: HTTPTransport = URLSessionTransport(),
                               sleeper: Sleeper = TaskSleeper(),
                               now: @escaping @Sendable () -> Date = { Date() }) throws -> SpotifySession {
        let store = TokenStore(environment: environment)
        guard let tokens = try store.tokens(for: id) else {
            throw MoosicError.notAuthorised("no Spotify login for \(id): run `moosic auth login` first")
        }
        let requester = RetryingTransport(transport: transport, configuration: configuration, sleeper: sleeper)
        let manager = SpotifyTokenManager(tokens: tokens, store: store,
                                          accounts: SpotifyAccounts(accountsURL: configuration.accountsURL, requester: requester),
                                          now: now)
        return SpotifySession(user: id, client: SpotifyClient(user: id, apiURL: configuration.apiURL,
                                                              requester: requester, tokens: manager),
                              grantedScopes: Set(tokens.scope.split(separator: " ").map(String.init)))
    }

    /// A user's library from fixture files (`fixtures` is Fixtures/spotify/<user>/), for `--offline`.
    public static func offline(user: String, fixtures: URL) -> SpotifySession {
        let requester = RetryingTransport(transport: FixtureTransport(directory: fixtures),
                                          configuration: SpotifyConfiguration())
        return SpotifySession(user: user, client: SpotifyClient(user: user, apiURL: FixtureTransport.baseURL,
                                                                requester: requester, tokens: NoAccessToken()))
    }
}

/// `moosic auth login`: Authorization Code with PKCE through the browser, the code caught by a
/// one-shot listener on http://127.0.0.1:PORT/callback.
public struct SpotifyLogin: Sendable {
    public let configuration: SpotifyConfiguration
    public let environment: MoosicEnvironment
    let transport: HTTPTransport
    let sleeper: Sleeper

    public init(configuration: SpotifyConfiguration, environment: MoosicEnvironment,
                transport: HTTPTransport = URLSessionTransport(), sleeper: Sleeper = TaskSleeper()) {
        self.configuration = configuration
        self.environment = environment
        self.transport = transport
        self.sleeper = sleeper
    }

    public static func redirectURI(port: UInt16) -> String { "http://127.0.0.1:\(port)/callback" }

    /// Runs the whole login; `show` gets the authorize URL (to print and open) once the listener is
    /// up. Port 0 picks a free port (only useful when the app accepts any loopback port).
    public func run(port: UInt16, timeout: TimeInterval = 300, show: @Sendable (URL) -> Void) async throws -> SpotifyTokens {
        guard let clientID = configuration.clientID else {
            throw MoosicError.configuration(SpotifyConfiguration.missingClientIDMessage(redirectURI: Self.redirectURI(port: port == 0 ? 8888 : port)))
        }
        let pkce = PKCE()
        let listener = try CallbackListener(port: port, expectedState: pkce.state)
        defer { listener.stop() }
        let redirectURI = Self.redirectURI(port: listener.port)
        let requester = RetryingTransport(transport: transport, configuration: configuration, sleeper: sleeper)
        let accounts = SpotifyAccounts(accountsURL: configuration.accountsURL, requester: requester)
        show(accounts.authorizeURL(clientID: clientID, redirectURI: redirectURI, pkce: pkce, scopes: SpotifyConfiguration.scopes))

        let code = try await listener.code(timeout: timeout)
        let answer = try await accounts.exchange(code: code, redirectURI: redirectURI, verifier: pkce.verifier, clientID: clientID)
        guard let refreshToken = answer.refresh_token else {
            throw MoosicError.notAuthorised("Spotify issued no refresh token: run `moosic auth login` again")
        }
        struct Me: Decodable { var id: String; var display_name: String? }
        let meResponse = try await requester.send(HTTPRequest(
            method: "GET", url: configuration.apiURL.appendingPathComponent("me"),
            headers: ["Authorization": "Bearer \(answer.access_token)", "Accept": "application/json"]))
        try SpotifyClient.expectSuccess(meResponse, "GET /me")
        let me = try SpotifyClient.decode(Me.self, meResponse.body, "GET /me")
        let now = Date()
        let tokens = SpotifyTokens(userID: me.id, displayName: me.display_name, clientID: clientID,
                                   accessToken: answer.access_token, refreshToken: refreshToken,
                                   expiresAt: now.addingTimeInterval(TimeInterval(answer.expires_in)),
                                   scope: answer.scope ?? "", issuedAt: now, loggedInAt: now)
        try environment.prepareHome()
        try TokenStore(environment: environment).save(tokens)
        return tokens
    }
}

/// Waits for the browser's one redirect to /callback, checks its state and keeps its code.
final class CallbackListener: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<String, MoosicError>?
    private var waiter: CheckedContinuation<String, Error>?
    private var server: LoopbackHTTPServer!
    var port: UInt16 { server.port }

    init(port: UInt16, expectedState: String) throws {
        server = try LoopbackHTTPServer(port: port) { [weak self] request in
            guard request.method == "GET", request.path == "/callback" else {
                return .respond(HTTPResponse(status: 404, headers: ["content-type": "text/plain"], body: Data("not found\n".utf8)))
            }
            let outcome: Result<String, MoosicError>
            if request.query["state"] != expectedState {
                outcome = .failure(.notAuthorised("the login callback carried the wrong state (not this login's): run `moosic auth login` again"))
            } else if let error = request.query["error"] {
                outcome = .failure(.notAuthorised("Spotify did not authorise moosic (\(error)): run `moosic auth login` again"))
            } else if let code = request.query["code"], !code.isEmpty {
                outcome = .success(code)
            } else {
                outcome = .failure(.notAuthorised("the login callback carried no code: run `moosic auth login` again"))
            }
            self?.finish(outcome)
            let page = (try? outcome.get()) != nil
                ? "moosic is logged in to Spotify. You can close this tab."
                : "moosic could not log in; see the terminal."
            return .respond(HTTPResponse(status: 200, headers: ["content-type": "text/plain; charset=utf-8"], body: Data(page.utf8)))
        }
    }

    func stop() { server.stop() }

    private func finish(_ outcome: Result<String, MoosicError>) {
        lock.lock()
        guard result == nil else { lock.unlock(); return }
        result = outcome
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume(with: outcome.mapError { $0 as Error })
    }

    func code(timeout: TimeInterval) async throws -> String {
        let timer = Task { [weak self] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
            self?.finish(.failure(.temporary("no answer from the browser within \(Int(timeout)) s: run `moosic auth login` again")))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(with: result.mapError { $0 as Error })
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
