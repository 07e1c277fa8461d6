import Foundation

/// How patient a client is with one web service: the one retry policy of moosic's HTTP clients
/// (Spotify's comes from SpotifyConfiguration, the features service's from FeaturesConfiguration).
public struct RetryPolicy: Sendable, Equatable {
    /// The service as error messages name it ("Spotify", "the features service").
    public var service: String
    /// The longest total time one run waits for 429 answers' Retry-After before giving up.
    public var waitBudget: TimeInterval
    /// Tries per request when the service answers 5xx or the connection fails.
    public var maxTries: Int
    /// The first backoff delay; each further try doubles it, plus up to as much again of jitter.
    public var backoffBase: TimeInterval

    public init(service: String, waitBudget: TimeInterval, maxTries: Int, backoffBase: TimeInterval) {
        self.service = service
        self.waitBudget = waitBudget
        self.maxTries = maxTries
        self.backoffBase = backoffBase
    }
}

/// Sends requests with the rules for trying again: a 429 waits for its Retry-After within a
/// total wait budget per run; a 5xx or a failed connection is tried again with exponential backoff
/// and jitter, at most `maxTries` times. A POST is not repeated after a 5xx or a lost connection,
/// since the service may have applied it: its caller knows how to repair (see PlaylistWriter).
public actor RetryingTransport {
    private let transport: HTTPTransport
    private let policy: RetryPolicy
    private let sleeper: Sleeper
    public private(set) var requestCount = 0
    public private(set) var waitedForRateLimit: TimeInterval = 0
    /// Set once a Retry-After went past the wait budget: nothing more should be tried this run.
    public private(set) var gaveUpOnRateLimit = false

    public init(transport: HTTPTransport, policy: RetryPolicy, sleeper: Sleeper = TaskSleeper()) {
        self.transport = transport
        self.policy = policy
        self.sleeper = sleeper
    }

    /// `repeatable` overrides the rule that only a POST may not be sent twice.
    public func send(_ request: HTTPRequest, repeatable: Bool? = nil) async throws -> HTTPResponse {
        let repeatable = repeatable ?? (request.method != "POST")
        let what = "\(request.method) \(request.url.path)"
        var failures = 0
        while true {
            requestCount += 1
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error as MoosicError {
                failures += 1
                guard repeatable, failures < policy.maxTries else {
                    throw MoosicError.temporary("\(error.message) (\(what), \(failures) tr\(failures == 1 ? "y" : "ies")); try again later")
                }
                try await backoff(after: failures)
                continue
            }
            if response.status == 429 {
                let asked = Self.retryAfter(response)
                guard !gaveUpOnRateLimit, waitedForRateLimit + asked <= policy.waitBudget else {
                    gaveUpOnRateLimit = true
                    throw MoosicError.temporary("\(policy.service) is rate-limiting moosic and asked to wait \(Int(asked.rounded(.up))) s, "
                        + "beyond this run's wait budget of \(Int(policy.waitBudget)) s; try again in \(Int(asked.rounded(.up))) s")
                }
                waitedForRateLimit += asked
                try await sleeper.sleep(seconds: asked)
                continue
            }
            if response.status >= 500 {
                failures += 1
                guard repeatable, failures < policy.maxTries else {
                    throw MoosicError.temporary("\(policy.service) answered \(response.status) to \(what) (\(failures) tr\(failures == 1 ? "y" : "ies")); try again later")
                }
                try await backoff(after: failures)
                continue
            }
            return response
        }
    }

    /// Retry-After in seconds (delta-seconds); 1 s when missing or unreadable.
    static func retryAfter(_ response: HTTPResponse) -> TimeInterval {
        guard let text = response.headers["retry-after"], let seconds = Double(text.trimmingCharacters(in: .whitespaces)),
              seconds >= 0 else { return 1 }
        return seconds
    }

    /// For a caller that repeats a sequence itself after a temporary failure (a POST it can repair):
    /// waits the backoff before the next try, or answers false when `maxTries` are used up or a
    /// rate limit outlasted the run.
    public func waitBeforeRetrying(after failures: Int) async throws -> Bool {
        guard failures < policy.maxTries, !gaveUpOnRateLimit else { return false }
        try await backoff(after: failures)
        return true
    }

    /// The one backoff of moosic's HTTP clients: `backoffBase`·2^(failures−1), plus up to as much again of jitter.
    private func backoff(after failures: Int) async throws {
        let delay = policy.backoffBase * pow(2, Double(failures - 1))
        try await sleeper.sleep(seconds: delay + Double.random(in: 0...delay))
    }
}
