import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MoosicCore
import MoosicML
import MoosicSpotify
import MoosicStore
import MoosicVision

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
                probe: @escaping @Sendable (URL) async -> String? = { await Doctor.reachability(of: $0) },
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

    // MARK: configuration and logins

    private var clientIDValue: String? {
        variables["MOOSIC_CLIENT_ID"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func clientID() -> DoctorCheck {
        if let id = clientIDValue { return DoctorCheck("client id", .ok, "MOOSIC_CLIENT_ID is set (\(id))") }
        return DoctorCheck("client id", offline ? .warn : .fail,
                           "MOOSIC_CLIENT_ID is not set: logins and online runs exit 78" + (offline ? " (--offline runs need none)" : ""),
                           fix: "create an app at https://developer.spotify.com/dashboard (redirect URI http://127.0.0.1:8888/callback), then moosic config set client_id <its client id>")
    }

    func loginChecks() -> [DoctorCheck] {
        let logins: [String: SpotifyTokens]
        do {
            logins = try TokenStore(environment: environment).all()
        } catch {
            return [DoctorCheck("logins", .fail, ErrorReport(error).message, fix: "moosic auth login")]
        }
        let users = user.map { [$0] } ?? logins.keys.sorted()
        if users.isEmpty {
            return [DoctorCheck("logins", offline ? .warn : .fail, "no Spotify login in \(environment.home.path)",
                                fix: "moosic auth login")]
        }
        return users.flatMap { id -> [DoctorCheck] in
            guard let tokens = logins[id] else {
                return [DoctorCheck("login \(id)", offline ? .warn : .fail, "\(id) has not logged in on this machine (MOOSIC_HOME \(environment.home.path))",
                                    fix: "moosic auth login (as \(id))")]
            }
            return [loginAge(tokens), scopes(tokens)]
        }
    }

    func loginAge(_ tokens: SpotifyTokens) -> DoctorCheck {
        let name = "login \(tokens.userID)"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let expiry = calendar.date(byAdding: .month, value: Self.loginLifetimeMonths, to: tokens.loggedInAt)!
        let day = 86_400.0
        let age = Int(now.timeIntervalSince(tokens.loggedInAt) / day)
        let left = Int((expiry.timeIntervalSince(now) / day).rounded(.down))
        let logged = "logged in \(Self.day(tokens.loggedInAt)) (\(age) days ago)"
        let again = "moosic auth login (as \(tokens.userID))"
        if let configured = clientIDValue, configured != tokens.clientID {
            return DoctorCheck(name, .fail, "\(logged) through the app \(tokens.clientID), but MOOSIC_CLIENT_ID is \(configured): a token refresh needs the same app",
                               fix: "export MOOSIC_CLIENT_ID=\(tokens.clientID), or \(again)")
        }
        if expiry <= now {
            return DoctorCheck(name, .fail, "\(logged): Spotify's refresh tokens last 6 months, this one ran out on \(Self.day(expiry))",
                               fix: again)
        }
        if left < Self.loginWarningDays {
            return DoctorCheck(name, .warn, "\(logged): its refresh token runs out on \(Self.day(expiry)), in \(left) day(s)",
                               fix: "\(again) before then")
        }
        return DoctorCheck(name, .ok, "\(logged); its refresh token runs out on \(Self.day(expiry)) (in \(left) days)")
    }

    func scopes(_ tokens: SpotifyTokens) -> DoctorCheck {
        let granted = Set(tokens.scope.split(separator: " ").map(String.init))
        let missing = SpotifyConfiguration.scopes.filter { !granted.contains($0) }
        if missing.isEmpty {
            return DoctorCheck("scopes \(tokens.userID)", .ok, "all \(SpotifyConfiguration.scopes.count) scopes moosic asks for were granted")
        }
        return DoctorCheck("scopes \(tokens.userID)", .fail, "missing scope(s) \(missing.joined(separator: ", ")): sync or playlist writes exit 77",
                           fix: "moosic auth login (as \(tokens.userID)) and accept every permission")
    }

    // MARK: store, catalog, models

    func openStore() -> (DoctorCheck, Store?) {
        let url = environment.storeURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            return (DoctorCheck("store", .warn, "no store yet at \(url.path) (the first run makes it)",
                                fix: "moosic catalog import --skip-invalid tracks.csv, or any --offline run"), nil)
        }
        let rebuild = "move \(url.path) away; `moosic catalog import` and `moosic library sync` rebuild it"
        do {
            let store = try Store(url: url, busyTimeout: 2)
            let problems = try store.integrityProblems()
            if !problems.isEmpty {
                return (DoctorCheck("store", .fail, "\(url.path) fails PRAGMA quick_check: \(problems.joined(separator: "; "))", fix: rebuild), nil)
            }
            return (DoctorCheck("store", .ok, "\(url.path) opens and passes PRAGMA quick_check"), store)
        } catch {
            return (DoctorCheck("store", .fail, ErrorReport(error).message, fix: rebuild), nil)
        }
    }

    func catalog(store: Store?, emotionModel: SongEmotionModel?) -> DoctorCheck {
        let importIt = "moosic catalog import --skip-invalid tracks.csv (the Spotify Tracks dataset)"
        guard let store else {
            return DoctorCheck("catalog", offline ? .warn : .fail, "no catalog (no usable store)"
                               + (offline ? "; --offline runs import Fixtures/catalog.csv" : ""), fix: importIt)
        }
        do {
            let counts = try store.emotionScoreCounts(model: emotionModel?.identity ?? "")
            if counts.tracks == 0 {
                return DoctorCheck("catalog", offline ? .warn : .fail, "the catalog is empty"
                                   + (offline ? "; --offline runs import Fixtures/catalog.csv" : ": online runs exit 78"), fix: importIt)
            }
            guard let emotionModel else {
                return DoctorCheck("catalog", .warn, "\(counts.tracks) tracks; no song-emotion model to check their scores against (see the models check)")
            }
            let stale = counts.tracks - counts.scoredByModel
            if stale > 0 {
                return DoctorCheck("catalog", .warn, "\(counts.tracks) tracks, \(stale) of them not scored by the current song-emotion model \(emotionModel.identity): the next recommendation scores them first",
                                   fix: "moosic catalog import again (it rescores), or just run moosic")
            }
            return DoctorCheck("catalog", .ok, "\(counts.tracks) tracks, all scored by the current song-emotion model \(emotionModel.identity)")
        } catch {
            return DoctorCheck("catalog", .fail, ErrorReport(error).message, fix: importIt)
        }
    }

    func models() -> ([DoctorCheck], SongEmotionModel?) {
        let reinstall = "reinstall moosic (Scripts/install) or point MOOSIC_MODELS at a folder with the shipped models"
        var checks: [DoctorCheck] = []
        do {
            _ = try FaceMoodReader(environment: environment)
            checks.append(DoctorCheck("face model", .ok, "face_mood.onnx loads and matches face_mood.json"))
        } catch {
            checks.append(DoctorCheck("face model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        var emotionModel: SongEmotionModel?
        do {
            if let model = try SongEmotion.installedModel(environment) {
                emotionModel = model
                checks.append(DoctorCheck("emotion model", .ok, "\(SongEmotionModel.fileName) loads: \(model.features.count) features, \(model.identity)"))
            } else {
                checks.append(DoctorCheck("emotion model", .fail, "\(SongEmotionModel.fileName) is missing from \((try? environment.modelsFolder().path) ?? "the models folder")",
                                          fix: reinstall))
            }
        } catch {
            checks.append(DoctorCheck("emotion model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        do {
            let forest = try RandomForest.loadGenreModel(from: environment.modelURL(GenreTraining.modelFileName))
            checks.append(DoctorCheck("genre model", .ok, "\(GenreTraining.modelFileName) loads: \(forest.classes.count) genres, \(forest.trees.count) trees, over moosic's \(forest.featureNames.count) genre features"))
        } catch {
            checks.append(DoctorCheck("genre model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        return (checks, emotionModel)
    }

    // MARK: services

    /// The audio-features service of MOOSIC_FEATURES_URL (default `defaultFeaturesURL`; empty: off).
    func features() async -> DoctorCheck {
        let text = variables["MOOSIC_FEATURES_URL"] ?? Self.defaultFeaturesURL
        if text.isEmpty { return DoctorCheck("features service", .skip, "turned off (MOOSIC_FEATURES_URL is empty)") }
        if offline { return DoctorCheck("features service", .skip, "not checked (--offline)") }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return DoctorCheck("features service", .fail, "MOOSIC_FEATURES_URL is not an http(s) URL: \(text)",
                               fix: "unset MOOSIC_FEATURES_URL (default \(Self.defaultFeaturesURL)) or set it empty to turn the service off")
        }
        if let problem = await probe(url) {
            return DoctorCheck("features service", .warn, "\(text) does not answer (\(problem)): songs not in the catalog get no audio features",
                               fix: "check the network, or set MOOSIC_FEATURES_URL empty to turn the service off")
        }
        return DoctorCheck("features service", .ok, "\(text) answers")
    }

    func spotifyAPI() async -> DoctorCheck {
        if offline { return DoctorCheck("Spotify API", .skip, "not checked (--offline)") }
        let configuration: SpotifyConfiguration
        do {
            configuration = try SpotifyConfiguration.resolve(variables)
        } catch {
            return DoctorCheck("Spotify API", .fail, ErrorReport(error).message, fix: "unset MOOSIC_SPOTIFY_API_URL and MOOSIC_SPOTIFY_ACCOUNTS_URL")
        }
        if let problem = await probe(configuration.apiURL) {
            return DoctorCheck("Spotify API", .fail, "\(configuration.apiURL.absoluteString) does not answer (\(problem)): online runs exit 75",
                               fix: "check the network (a proxy?), or run with --offline")
        }
        return DoctorCheck("Spotify API", .ok, "\(configuration.apiURL.absoluteString) answers")
    }

    /// Whether anything answers HTTP at `url` (any status counts: the point is the network path),
    /// through moosic's own transport with short timeouts; nil when it did, else why not.
    public static func reachability(of url: URL, transport: HTTPTransport = URLSessionTransport(requestTimeout: 10, resourceTimeout: 15)) async -> String? {
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: url))
            return nil
        } catch {
            return ErrorReport(error).message
        }
    }

    // MARK: cron and refresh runs

    func cron() -> [DoctorCheck] {
        let install = "(crontab -l 2>/dev/null; moosic cron --user \(user ?? "<id>")) | crontab -"
        let listing = crontab()
        let lines: [Crontab.RefreshLine]
        switch listing {
        case .unavailable(let why):
            return [DoctorCheck("cron", .warn, "cannot read the crontab (\(why)): no nightly refresh", fix: "install cron, then \(install)")]
        case .lines(let text):
            lines = text.compactMap(Crontab.RefreshLine.init).filter { user == nil || $0.user == user }
        }
        if lines.isEmpty {
            return [DoctorCheck("cron", .warn, "no `moosic refresh` line in the crontab" + (user.map { " for \($0)" } ?? "") + ": the playlist is not refreshed nightly",
                                fix: install)]
        }
        return lines.map { line in
            let name = "cron \(line.user ?? "?")"
            let again = "replace the line with the output of `moosic cron --user \(line.user ?? "<id>")` (crontab -e)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: line.binary, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isExecutableFile(atPath: line.binary) else {
                return DoctorCheck(name, .fail, "the crontab runs \(line.binary), which is not an executable file: the nightly refresh fails", fix: again)
            }
            if !(line.offline || line.variables["MOOSIC_CLIENT_ID"].map({ !$0.isEmpty }) == true
                 || settingsFileValues["MOOSIC_CLIENT_ID"].map({ !$0.isEmpty }) == true) {
                return DoctorCheck(name, .fail, "the crontab line sets no MOOSIC_CLIENT_ID (cron passes no environment) and the settings file has none: the nightly refresh exits 78",
                                   fix: "moosic config set client_id …")
            }
            if let home = line.variables["MOOSIC_HOME"], URL(fileURLWithPath: home).standardizedFileURL.path != environment.home.standardizedFileURL.path {
                return DoctorCheck(name, .warn, "\(line.schedule) \(line.binary), with another MOOSIC_HOME (\(home)) than this one (\(environment.home.path))",
                                   fix: "use the same MOOSIC_HOME, or " + again)
            }
            return DoctorCheck(name, .ok, "\(line.schedule) \(line.binary) refresh --user \(line.user ?? "?")")
        }
    }

    func refreshRuns(store: Store?) -> [DoctorCheck] {
        guard let store else { return [] }
        let runs: [(run: Store.RefreshRun, startedAt: Date?, finishedAt: Date?)]
        do {
            runs = try store.latestRefreshRuns(user: user, limit: Self.refreshRunsShown)
        } catch {
            return [DoctorCheck("refresh runs", .fail, ErrorReport(error).message)]
        }
        if runs.isEmpty {
            return [DoctorCheck("refresh runs", .warn, "no `moosic refresh` has run yet" + (user.map { " for \($0)" } ?? ""),
                                fix: "moosic refresh --user \(user ?? "<id>") (cron runs it nightly)")]
        }
        var newestSeen = Set<String>()
        return runs.map { entry in
            let run = entry.run
            let isNewest = newestSeen.insert(run.user).inserted
            let when = entry.startedAt.map(Self.minute) ?? "?"
            let name = "refresh \(run.user)"
            switch run.outcome {
            case "ok":
                return DoctorCheck(name, .ok, "\(when): ok, \(run.trackCount ?? 0) tracks, mood \(run.mood.map { String(format: "%.2f", $0) } ?? "?") (\(run.moodSource ?? "?"))"
                                   + (run.message.map { "; \($0)" } ?? ""))
            case "running":
                let stale = entry.startedAt.map { now.timeIntervalSince($0) > 3600 } ?? true
                return DoctorCheck(name, stale ? .warn : .ok, stale ? "\(when): started and never finished (killed?)" : "\(when): running now",
                                   fix: stale ? "see \(environment.home.appendingPathComponent("refresh.log").path)" : nil)
            default:
                let message = run.message ?? "no message"
                return DoctorCheck(name, isNewest ? .fail : .warn, "\(when): \(run.outcome): \(message)" + (isNewest ? "" : " (a later run went on)"),
                                   fix: isNewest ? "fix what the message says, then moosic refresh --user \(run.user)" : nil)
            }
        }
    }

    // MARK: formatting

    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }

    static func minute(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}

/// The user's crontab as `crontab -l` prints it, and the `moosic refresh` lines in it.
public enum Crontab {
    public enum Listing: Sendable, Equatable {
        case lines([String])
        /// No crontab command, or it failed for another reason than "no crontab for <user>".
        case unavailable(String)
    }

    /// Runs `<command> -l` (`command` is a program name looked up on PATH, or a path; MOOSIC_CRONTAB
    /// overrides `crontab`, for tests).
    public static func list(command: String) -> Listing {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command, "-l"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .unavailable("cannot run \(command): \(error.localizedDescription)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 0 {
            return .lines(String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init))
        }
        // cron's crontab says "no crontab for <user>" and exits 1 when there is none.
        if errors.contains("no crontab for") { return .lines([]) }
        if process.terminationStatus == 127 { return .unavailable("no \(command) command") }
        let first = errors.split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
        return .unavailable("\(command) -l: \(first)")
    }

    /// A crontab line that runs `<…/moosic> refresh`, as `moosic cron` writes it.
    public struct RefreshLine: Sendable, Equatable {
        public var schedule: String
        public var binary: String
        public var user: String?
        public var offline: Bool
        /// The VAR=value assignments before the command.
        public var variables: [String: String]

        public init?(_ line: String) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let words = Crontab.shellWords(trimmed.replacingOccurrences(of: "\\%", with: "%"))
            guard let refresh = words.indices.first(where: { i in
                i > 0 && words[i] == "refresh" && URL(fileURLWithPath: words[i - 1]).lastPathComponent == "moosic"
            }) else { return nil }
            // "@daily …" has one schedule field, "M H dom mon dow …" five.
            let fields = words.first?.hasPrefix("@") == true ? 1 : 5
            guard refresh - 1 >= fields else { return nil }
            schedule = words.prefix(fields).joined(separator: " ")
            binary = words[refresh - 1]
            var variables: [String: String] = [:]
            for word in words[fields..<(refresh - 1)] {
                guard let equals = word.firstIndex(of: "=") else { continue }
                variables[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            self.variables = variables
            let rest = Array(words[(refresh + 1)...])
            if let i = rest.firstIndex(of: "--user"), i + 1 < rest.count {
                user = rest[i + 1]
            } else {
                user = rest.first { $0.hasPrefix("--user=") }.map { String($0.dropFirst("--user=".count)) }
            }
            offline = rest.contains("--offline")
        }
    }

    /// Splits a /bin/sh command line into words: blanks separate, '…' and "…" quote, \ escapes.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { word.append(c); escaped = false; inWord = true; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { word.append(c) }
                continue
            }
            switch c {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'", "\"":
                quote = c; inWord = true
            case "\\":
                escaped = true
            default:
                word.append(c); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

extension Doctor {
    /// The settings in force and where each came from (environment, settings file, default): always `ok`,
    /// the first line of `moosic doctor`.
    public static func settingsCheck(_ installation: Installation) -> DoctorCheck {
        func names(_ source: Installation.Source) -> [String] {
            Installation.settings.filter { installation.source(of: $0.name) == source }.map { setting in
                setting.name + (installation.variables[setting.name]?.isEmpty == true ? " (empty)" : "")
            }
        }
        let exists = FileManager.default.fileExists(atPath: installation.settingsFile.path)
        var parts = ["settings file \(installation.settingsFile.path)\(exists ? "" : " (none)")"]
        let environment = names(.environment), file = names(.file), defaults = names(.defaultValue)
        if !environment.isEmpty { parts.append("from the environment: " + environment.joined(separator: ", ")) }
        if !file.isEmpty { parts.append("from the settings file: " + file.joined(separator: ", ")) }
        if !defaults.isEmpty { parts.append("default: " + defaults.joined(separator: ", ")) }
        return DoctorCheck("settings", .ok, parts.joined(separator: "; "))
    }
}
