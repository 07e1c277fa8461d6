import Foundation
import MoosicCore
import MoosicIO
import MoosicStore

/// One finding of `moosic doctor`: what was checked, how it stands, and what to do about it.
public struct DoctorCheck: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable {
        /// Works.
        case ok
        /// Works for now, or only some of what moosic does needs it.
        case warn
        /// Something moosic needs is broken: doctor exits 78.
        case fail
        /// Not checked (`--offline`, or the feature is turned off).
        case skip
    }

    public var name: String
    public var status: Status
    public var message: String
    public var fix: String?

    public init(_ name: String, _ status: Status, _ message: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.message = message
        self.fix = fix
    }
}

/// `moosic doctor`: checks one installation — configuration, logins, the store, the catalog, the
/// models, the services it talks to, the nightly cron line and the last refresh runs — and says for
/// each what is wrong and how to fix it. It reads; the only thing it may write is what opening the
/// store always does (bringing its schema up to date).
///
/// The checks are extensions, one file per group: `Doctor+Configuration` (settings, client id),
/// `Doctor+Logins`, `Doctor+Store` (store, catalog, models), `Doctor+Services` (features service,
/// Spotify API), `Doctor+Cron` (cron lines, refresh runs).
public struct Doctor: Sendable {
    /// Spotify's refresh tokens stop working six months after the login that issued them.
    public static let loginLifetimeMonths = 6
    /// A login this close to the end of its six months is a warning.
    public static let loginWarningDays = 14
    /// The contract's default for MOOSIC_FEATURES_URL (empty turns the service off).
    public static let defaultFeaturesURL = "https://api.reccobeats.com/v1"
    /// How many refresh runs are shown.
    public static let refreshRunsShown = 3

    public var environment: MoosicEnvironment
    public var variables: [String: String]
    /// Only this user's login, cron line and runs; nil: every user's.
    public var user: String?
    /// Skip the network checks.
    public var offline: Bool
    public var now: Date
    /// Whether a service answers at `url`: nil when it answered (any HTTP status), else why not.
    public var probe: @Sendable (URL) async -> String?
    /// The user's crontab (`crontab -l`); see `Crontab`.
    public var crontab: @Sendable () -> Crontab.Listing
    /// The settings file's values: a client id there reaches the nightly refresh, which reads the file.
    public var settingsFileValues: [String: String] = [:]

    public init(environment: MoosicEnvironment, variables: [String: String],
                user: String? = nil, offline: Bool = false, now: Date = Date(),
                probe: @escaping @Sendable (URL) async -> String? = { await ServiceProbe.reachability(of: $0) },
                crontab: (@Sendable () -> Crontab.Listing)? = nil) {
        self.environment = environment
        self.variables = variables
        self.user = user
        self.offline = offline
        self.now = now
        self.probe = probe
        let command = variables["MOOSIC_CRONTAB"].flatMap { $0.isEmpty ? nil : $0 } ?? "crontab"
        self.crontab = crontab ?? { Crontab.list(command: command) }
    }

    /// 0 when no check failed, else 78 (configuration).
    public static func exitCode(_ checks: [DoctorCheck]) -> Int32 {
        checks.contains { $0.status == .fail } ? 78 : 0
    }

    /// Every check, in the order they are printed.
    public func run() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        checks.append(clientID())
        let logins = loginChecks()
        checks += logins
        let (storeCheck, store) = openStore()
        checks.append(storeCheck)
        let (modelChecks, emotionModel) = models()
        checks.append(catalog(store: store, emotionModel: emotionModel))
        checks += modelChecks
        checks.append(await features())
        checks.append(await spotifyAPI())
        checks += cron()
        checks += refreshRuns(store: store)
        return checks
    }

    // MARK: formatting

    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }

    static func minute(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
