import Foundation

/// One HTTP request as moosic's web clients (Spotify, the features service) see it: small enough to
/// serve from fixture files or to record in tests. Shared here so that both adapters use one transport,
/// one retry policy and one backoff (RetryingTransport) instead of a copy each.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }
}

/// How requests reach a web service (or its emulator, or the fixture files); the network's own is
/// MoosicIO's `URLSessionTransport`. A transport throws only when
/// no answer arrived (connection refused, dropped, timed out), as `MoosicError.temporary`; every
/// HTTP status is an answer.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Waiting, behind a protocol so that tests of Retry-After and backoff do not really wait.
public protocol Sleeper: Sendable {
    func sleep(seconds: TimeInterval) async throws
}

public struct TaskSleeper: Sleeper {
    public init() {}
    public func sleep(seconds: TimeInterval) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
