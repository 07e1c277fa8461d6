import Foundation
import MoosicCore

/// What moosic takes as "now" for the dates it stores and reasons about (when a song was given,
/// how old a mood is, which day's seed). The machine's clock, unless MOOSIC_NOW holds an ISO 8601
/// time: a test hook, so that tests can run a week of nightly refreshes in seconds without sleeping
/// or touching the machine's clock (docs/nightly.md). Not for real use; login tokens and HTTP
/// timing always use the machine's clock.
public enum MoosicClock {
    public static let variable = "MOOSIC_NOW"

    /// The time in `variables[MOOSIC_NOW]`, else the machine's. A value that is not an ISO 8601 time
    /// is a usage error (64) rather than a silently real clock.
    public static func now(_ variables: [String: String]) throws -> Date {
        guard let text = variables[variable], !text.isEmpty else { return Date() }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw MoosicError.usage("\(variable) must be an ISO 8601 time such as 2026-12-01T04:05:00Z, not \(text)")
        }
        return date
    }

    /// A clock for the pipeline's stages: the injected time when MOOSIC_NOW is set (the same for the
    /// whole run), else the machine's clock read at each call.
    public static func clock(_ variables: [String: String]) throws -> @Sendable () -> Date {
        guard let text = variables[variable], !text.isEmpty else { return { Date() } }
        let fixed = try now(variables)
        return { fixed }
    }
}
