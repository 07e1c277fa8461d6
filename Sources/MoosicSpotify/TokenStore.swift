import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore
import MoosicIO

/// One user's Spotify login. Its description never shows the tokens, so logging or interpolating
/// it by mistake leaks nothing.
public struct SpotifyTokens: Codable, Sendable, Equatable, CustomStringConvertible {
    public var userID: String
    public var displayName: String?
    /// The app the tokens were issued to: a refresh must name the same client id.
    public var clientID: String
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Date
    public var scope: String
    /// When Spotify issued the current access token (login or refresh).
    public var issuedAt: Date
    public var loggedInAt: Date

    public init(userID: String, displayName: String?, clientID: String, accessToken: String, refreshToken: String,
                expiresAt: Date, scope: String, issuedAt: Date, loggedInAt: Date) {
        self.userID = userID
        self.displayName = displayName
        self.clientID = clientID
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.issuedAt = issuedAt
        self.loggedInAt = loggedInAt
    }

    public var description: String { "SpotifyTokens(user: \(userID), expires: \(expiresAt), tokens: <redacted>)" }
}

/// The logins of every user, in one JSON file in MOOSIC_HOME with mode 0600 (the directory 0700).
/// Tokens are kept out of SQLite so that the store can be copied or inspected without them.
public struct TokenStore: Sendable {
    public let url: URL
    private var lockURL: URL { url.deletingLastPathComponent().appendingPathComponent("spotify-tokens.lock") }

    public init(url: URL) {
        self.url = url
    }

    public init(environment: MoosicEnvironment) {
        self.init(url: environment.home.appendingPathComponent("spotify-tokens.json"))
    }

    public func all() throws -> [String: SpotifyTokens] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MoosicError.notAuthorised("cannot read the saved Spotify logins at \(url.path): run `moosic auth login` again")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let users = try? decoder.decode([String: SpotifyTokens].self, from: data) else {
            throw MoosicError.notAuthorised("the saved Spotify logins at \(url.path) are unreadable: run `moosic auth login` again")
        }
        return users
    }

    public func tokens(for user: String) throws -> SpotifyTokens? {
        try all()[user]
    }

    public func save(_ tokens: SpotifyTokens) throws {
        try update { $0[tokens.userID] = tokens }
    }

    /// Removes a user's login; false when there was none.
    @discardableResult
    public func remove(user: String) throws -> Bool {
        var removed = false
        try update { removed = $0.removeValue(forKey: user) != nil }
        return removed
    }

    /// Read-modify-write under an advisory lock, so that a nightly refresh and an interactive login
    /// cannot lose each other's tokens; the file is replaced atomically, created 0600.
    private func update(_ change: (inout [String: SpotifyTokens]) -> Void) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(directory.path, 0o700)
        let lock = try FileLock(waitingFor: lockURL.path)
        try withExtendedLifetime(lock) {
            var users = try all()
            change(&users)
            try replaceFile(with: users)
        }
    }

    private func replaceFile(with users: [String: SpotifyTokens]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(users)
        let temporary = url.path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw MoosicError.internalFailure("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == data.count, rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw MoosicError.internalFailure("cannot write \(url.path)")
        }
    }
}
