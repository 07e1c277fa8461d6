import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore
import MoosicIO
import MoosicFeatures
import MoosicSpotify
import TOMLKit

/// One installation's settings, resolved once per process: the environment over the settings file
/// (`$XDG_CONFIG_HOME/moosic/config.toml`, default `~/.config/moosic/config.toml`; `MOOSIC_CONFIG`
/// names another) over the defaults, with where each value came from (`moosic doctor`, `moosic config
/// list`). `load` is the only reader of the process environment: the command line loads the
/// installation once before a command runs (`activate()`) and every part of moosic — the commands,
/// the nightly refresh cron runs, the page, `doctor` — takes its places, services and clock from it.
public struct Installation: Sendable {
    /// A setting: a `MOOSIC_*` variable, what it is for, and its default as shown to the user.
    public struct Setting: Sendable, Equatable {
        public var name: String
        public var summary: String
        public var defaultValue: String?
    }

    /// Every setting, in the order `config list` and `doctor` show them (docs/cli.md has the table).
    public static let settings: [Setting] = [
        Setting(name: "MOOSIC_CLIENT_ID", summary: "your Spotify app's client id", defaultValue: nil),
        Setting(name: "MOOSIC_HOME", summary: "state: the store, logins, covers, the refresh log", defaultValue: nil),
        Setting(name: "MOOSIC_FEATURES_URL", summary: "the audio-features service; empty: off", defaultValue: "https://api.reccobeats.com/v1"),
        Setting(name: "MOOSIC_SPOTIFY_API_URL", summary: "the Spotify Web API", defaultValue: "https://api.spotify.com/v1"),
        Setting(name: "MOOSIC_SPOTIFY_ACCOUNTS_URL", summary: "Spotify's accounts service", defaultValue: "https://accounts.spotify.com"),
        Setting(name: "MOOSIC_MODELS", summary: "the folder of the trained models", defaultValue: nil),
        Setting(name: "MOOSIC_DATA", summary: "the folder of the shipped Models/ and Fixtures/", defaultValue: nil),
        Setting(name: "MOOSIC_CRONTAB", summary: "the crontab command doctor runs as <command> -l", defaultValue: "crontab"),
    ]

    public enum Source: String, Sendable, Codable {
        case environment
        case file = "settings file"
        case defaultValue = "default"
    }

    /// The process's environment as it was before the settings file was applied to it.
    public let environmentVariables: [String: String]
    /// The settings file's values, by variable name.
    public let fileValues: [String: String]
    public let settingsFile: URL
    /// What moosic reads: the environment, with the settings file's values where it has none (an empty
    /// variable in the environment is a value: `MOOSIC_FEATURES_URL=` turns the service off whatever the file says).
    public let variables: [String: String]
    /// Where state and data are, from `variables`.
    public let environment: MoosicEnvironment

    public init(environment: [String: String], fileValues: [String: String], settingsFile: URL) {
        environmentVariables = environment
        self.fileValues = fileValues
        self.settingsFile = settingsFile
        variables = environment.merging(fileValues) { environment, _ in environment }
        self.environment = MoosicEnvironment.resolve(variables)
    }

    /// Where Spotify is and the client id. A URL that is not http(s) is a configuration error (78)
    /// when a run needs Spotify, not before; a missing client id is the login's error, as it names the redirect URI.
    public var spotify: SpotifyConfiguration {
        get throws { try SpotifyConfiguration.resolve(variables) }
    }

    /// Where the audio-features service is (none: MOOSIC_FEATURES_URL empty); a bad URL is a
    /// configuration error (78) when a run needs the service.
    public var features: FeaturesConfiguration {
        get throws { try FeaturesConfiguration.resolve(variables) }
    }

    /// The clock of the dates moosic stores: the machine's, or MOOSIC_NOW's (a test hook, `MoosicClock`).
    public var clock: @Sendable () -> Date {
        get throws { try MoosicClock.clock(variables) }
    }

    /// Now by `clock`.
    public var now: Date {
        get throws { try MoosicClock.now(variables) }
    }

    /// MOOSIC_FRESH_NIGHTS: how many last nights' songs a run avoids.
    public var freshNights: Int {
        get throws { try ListenerMemory.freshNights(variables) }
    }

    public func source(of name: String) -> Source {
        if environmentVariables[name] != nil { return .environment }
        if fileValues[name] != nil { return .file }
        return .defaultValue
    }

    /// The value in force: environment, settings file, else the default (MOOSIC_HOME's is worked out
    /// from XDG_DATA_HOME / HOME); nil when there is none.
    public func value(of name: String) -> String? {
        if let value = variables[name] { return value }
        if name == "MOOSIC_HOME" { return environment.home.path }
        return Self.settings.first { $0.name == name }?.defaultValue
    }

    /// `MOOSIC_CONFIG`, else `$XDG_CONFIG_HOME/moosic/config.toml`, else `~/.config/moosic/config.toml`.
    public static func settingsFileURL(_ variables: [String: String]) -> URL {
        if let explicit = variables["MOOSIC_CONFIG"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let xdg = variables["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("moosic/config.toml")
        }
        let home = variables["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".config/moosic/config.toml")
    }

    /// The installation of `environment` and the settings file it names (none yet: no file values).
    /// A file that is not TOML, or holds an unknown key or a value that is not a string, is a
    /// configuration error (78) naming the file.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Installation {
        let url = settingsFileURL(environment)
        return Installation(environment: environment, fileValues: try readSettings(url), settingsFile: url)
    }

    /// `name` as a setting's variable: `client_id`, `CLIENT_ID`, `moosic_client_id` and `MOOSIC_CLIENT_ID` are all
    /// MOOSIC_CLIENT_ID; nil when there is no such setting.
    public static func settingName(_ name: String) -> String? {
        let upper = name.uppercased().replacingOccurrences(of: "-", with: "_")
        let full = upper.hasPrefix("MOOSIC_") ? upper : "MOOSIC_" + upper
        return settings.contains { $0.name == full } ? full : nil
    }

    static func readSettings(_ url: URL) throws -> [String: String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [:] }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: url.path) else {
            throw MoosicError.configuration("cannot read the settings file \(url.path)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let error as TOMLParseError {
            throw MoosicError.configuration("the settings file \(url.path) is not valid TOML (\(error.source.begin.debugDescription): \(error.description))")
        }
        var values: [String: String] = [:]
        for key in table.keys {
            guard let name = settingName(key), name == key else {
                throw MoosicError.configuration("the settings file \(url.path) has an unknown key \(key) (keys: \(settings.map(\.name).joined(separator: ", ")))")
            }
            guard let value = table[key]?.string else {
                throw MoosicError.configuration("the settings file \(url.path) gives \(key) a value that is not a string (write it in quotes)")
            }
            values[name] = value
        }
        return values
    }

    /// Writes `values` as the settings file (folder 0700, file 0600: it may hold the client id), by
    /// way of a temporary file, so a reader never sees half a file.
    public static func writeSettings(_ values: [String: String], to url: URL) throws {
        let table = TOMLTable()
        for name in values.keys.sorted() { table[name] = values[name]! }
        let text = "# moosic's settings (`moosic config`; docs/cli.md). The environment overrides them.\n"
            + (values.isEmpty ? "" : table.convert(to: .toml) + "\n")
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(temporary.path, url.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            throw MoosicError.configuration("cannot write the settings file \(url.path): \(error.localizedDescription)")
        }
    }

    /// Loads the installation of this process once, so that every part of moosic works from the same
    /// settings, read at the start; a settings file that cannot be read stops the command (78) before it runs.
    @discardableResult
    public static func activate() throws -> Installation {
        try activated.withLock { active in
            if let active { return active }
            let installation = try load()
            active = installation
            return installation
        }
    }

    /// The installation of this process: the one `activate()` loaded, else loaded now.
    public static func current() throws -> Installation {
        try activated.withLock { $0 } ?? load()
    }

    private static let activated = SettingsLock<Installation?>(nil)

    // MARK: the crontab line

    /// The crontab line that refreshes `user`'s playlist daily at `time` (default: 04:MM with a random
    /// minute): this executable, MOOSIC_HOME, and every moosic variable of the environment `cron` runs
    /// in, an empty one included (cron passes none, and an empty MOOSIC_FEATURES_URL means "off"). The
    /// settings file is read by the refresh itself (MOOSIC_CONFIG on the line when the file is not the
    /// default one), so a setting changed later reaches the nightly run too.
    public func cronLine(user: String, at time: (hour: Int, minute: Int)?) -> String {
        let time = time ?? (hour: 4, minute: Int.random(in: 0...59))
        var names = NightlyRefresh.passedVariables
        for setting in Self.settings where !names.contains(setting.name) && !["MOOSIC_HOME", "MOOSIC_CRONTAB"].contains(setting.name) {
            names.append(setting.name)
        }
        var passed = names.compactMap { name in environmentVariables[name].map { (name, $0) } }
        if environmentVariables["MOOSIC_CONFIG"] != nil || environmentVariables["XDG_CONFIG_HOME"] != nil {
            passed.append(("MOOSIC_CONFIG", settingsFile.path))
        }
        let home = environment.home
        return CronLine.make(binary: MoosicEnvironment.executableURL.path, user: user, hour: time.hour, minute: time.minute,
                             home: home.path, variables: passed, log: home.appendingPathComponent("refresh.log").path)
    }
}

/// A value behind a lock.
private final class SettingsLock<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
