import Foundation
import MoosicCore

extension RetryingTransport {
    /// Spotify's retry policy (SpotifyConfiguration.retryPolicy).
    public init(transport: HTTPTransport, configuration: SpotifyConfiguration, sleeper: Sleeper = TaskSleeper()) {
        self.init(transport: transport, policy: configuration.retryPolicy, sleeper: sleeper)
    }
}

/// What gives the client a valid access token.
public protocol AccessTokenProvider: Sendable {
    /// A token valid for a while yet; `forceRefresh` after Spotify answered 401 to the current one.
    func accessToken(forceRefresh: Bool) async throws -> String
}

/// The Spotify Web API for one user: bearer tokens refreshed before expiry and once after a 401.
public final class SpotifyClient: Sendable {
    public let user: String
    public let apiURL: URL
    let requester: RetryingTransport
    let tokens: AccessTokenProvider

    public init(user: String, apiURL: URL, requester: RetryingTransport, tokens: AccessTokenProvider) {
        self.user = user
        self.apiURL = apiURL
        self.requester = requester
        self.tokens = tokens
    }

    /// Requests sent so far through this client's requester (token refreshes included).
    public var requestCount: Int { get async { await requester.requestCount } }

    public func url(_ path: String, query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: apiURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }

    /// Any answer but 401 (after one refresh), 429 and 5xx (see RetryingTransport) is returned as it is.
    public func send(_ method: String, _ path: String, query: [(String, String)] = [],
                     json body: (any Encodable & Sendable)? = nil) async throws -> HTTPResponse {
        try await send(method, path, query: query, body: try body.map { try JSONEncoder().encode($0) },
                       contentType: body == nil ? nil : "application/json")
    }

    /// A request with a body of any type (the cover's base64 JPEG).
    public func send(_ method: String, _ path: String, query: [(String, String)] = [], body data: Data?,
                     contentType: String?) async throws -> HTTPResponse {
        var headers = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        var refreshed = false
        while true {
            headers["Authorization"] = "Bearer " + (try await tokens.accessToken(forceRefresh: refreshed))
            let response = try await requester.send(HTTPRequest(method: method, url: url(path, query: query),
                                                                headers: headers, body: data))
            guard response.status == 401 else { return response }
            guard !refreshed else {
                throw MoosicError.notAuthorised("Spotify refused the access token of \(user) even after a refresh: run `moosic auth login` again")
            }
            refreshed = true
        }
    }

    /// A 2xx answer decoded as `T`; any other answer is an error.
    public func get<T: Decodable>(_ path: String, query: [(String, String)] = [], as type: T.Type) async throws -> T {
        let response = try await send("GET", path, query: query)
        try Self.expectSuccess(response, "GET \(path)")
        return try Self.decode(type, response.body, "GET \(path)")
    }

    /// How a walk through a paged endpoint ended.
    enum PageWalkEnd: Equatable {
        case lastPage
        /// The visitor asked to stop.
        case stopped
        /// Spotify refused the items with a 403 not about a scope (someone else's playlist).
        case forbidden
    }

    /// Walks a paged endpoint `LibrarySync.pageSize` items a request, handing each page's items to
    /// `visit` until it returns false. A 403 not about a scope ends the walk as `.forbidden` when
    /// `forbiddenIsAnAnswer`, and is an error otherwise, as is any other failure. `onPage` hears how
    /// many items have come so far of how many the endpoint says it has.
    func walkPages<Item: Decodable>(_ path: String, of type: Item.Type, forbiddenIsAnAnswer: Bool = false,
                                    onPage: (@Sendable (_ received: Int, _ total: Int) -> Void)? = nil,
                                    _ visit: ([Item]) throws -> Bool) async throws -> PageWalkEnd {
        var offset = 0
        while true {
            let response = try await send("GET", path, query: [("limit", String(LibrarySync.pageSize)), ("offset", String(offset))])
            if forbiddenIsAnAnswer, response.status == 403, !Self.errorMessage(response.body).lowercased().contains("scope") {
                return .forbidden
            }
            try Self.expectSuccess(response, "GET /\(path)")
            let page = try Self.decode(SpotifyPage<Item>.self, response.body, "GET /\(path)")
            guard try visit(page.items) else { return .stopped }
            offset += page.items.count
            onPage?(offset, page.total)
            if page.next == nil || page.items.isEmpty || offset >= page.total { return .lastPage }
        }
    }

    /// Every item of a paged endpoint.
    func allItems<Item: Decodable>(_ path: String, of type: Item.Type,
                                   onPage: (@Sendable (_ received: Int, _ total: Int) -> Void)? = nil) async throws -> [Item] {
        var items: [Item] = []
        _ = try await walkPages(path, of: type, onPage: onPage) { page in
            items += page
            return true
        }
        return items
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: Data, _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw MoosicError.internalFailure("unexpected answer from Spotify to \(what): \(error)")
        }
    }

    static func expectSuccess(_ response: HTTPResponse, _ what: String) throws {
        guard !(200..<300).contains(response.status) else { return }
        let message = Self.errorMessage(response.body)
        switch response.status {
        case 403 where message.lowercased().contains("scope"):
            throw MoosicError.notAuthorised("Spotify refused \(what) (403: \(message)): the login lacks a scope; run `moosic auth login` again")
        case 400..<500:
            throw MoosicError.internalFailure("Spotify refused \(what) (\(response.status)\(message.isEmpty ? "" : ": " + message))")
        default:
            throw MoosicError.temporary("Spotify answered \(response.status) to \(what)")
        }
    }

    /// `error.message` of a Web API error body (never the body itself: it could echo a request).
    static func errorMessage(_ body: Data) -> String {
        struct Envelope: Decodable {
            struct Inner: Decodable { var message: String? }
            var error: Inner?
        }
        return (try? JSONDecoder().decode(Envelope.self, from: body))?.error?.message ?? ""
    }
}

/// For offline runs against fixture files: no authorisation at all.
public struct NoAccessToken: AccessTokenProvider {
    public init() {}
    public func accessToken(forceRefresh: Bool) async throws -> String { "offline" }
}
