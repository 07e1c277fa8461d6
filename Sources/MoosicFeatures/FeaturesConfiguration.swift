import Foundation
import MoosicCore

/// Where the features service is and how patient moosic is with it: the contract's
/// MOOSIC_FEATURES_URL (unset: ReccoBeats; empty: no features service), plus the retry policy.
/// The service is best-effort, so its budget is small: a run waits at most `retryPolicy.waitBudget`
/// seconds for its 429s and then goes on without the features it did not get.
public struct FeaturesConfiguration: Sendable {
    public static let defaultURL = URL(string: "https://api.reccobeats.com/v1")!
    /// ReccoBeats answers at most 40 ids per request.
    public static let maxBatch = 40

    /// nil: no features service (MOOSIC_FEATURES_URL set to the empty string).
    public var baseURL: URL?
    public var batchSize: Int
    public var retryPolicy: RetryPolicy
    /// Seconds one request may take (a slow answer beyond it counts as a failed connection).
    public var requestTimeout: TimeInterval

    public init(baseURL: URL? = FeaturesConfiguration.defaultURL, batchSize: Int = FeaturesConfiguration.maxBatch,
                retryPolicy: RetryPolicy = RetryPolicy(service: "the features service", waitBudget: 30, maxTries: 3, backoffBase: 0.5),
                requestTimeout: TimeInterval = 20) {
        self.baseURL = baseURL
        self.batchSize = min(max(1, batchSize), Self.maxBatch)
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
    }

    public static func resolve(_ variables: [String: String]) throws -> FeaturesConfiguration {
        var configuration = FeaturesConfiguration()
        if let text = variables["MOOSIC_FEATURES_URL"] {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                configuration.baseURL = nil
            } else {
                guard let url = URL(string: trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed),
                      let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                    throw MoosicError.configuration("MOOSIC_FEATURES_URL is not an http(s) URL: \(text) (empty turns the features service off)")
                }
                configuration.baseURL = url
            }
        }
        return configuration
    }

    /// What the feature cache records as the source of an answer: the service's host (and port).
    public var sourceName: String {
        guard let url = baseURL, let host = url.host else { return "none" }
        return url.port.map { "\(host):\($0)" } ?? host
    }
}
