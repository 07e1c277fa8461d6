import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicSpotify

@Suite struct TokenStoreTests {
    let directory: TemporaryDirectory
    let store: TokenStore

    init() throws {
        directory = try TemporaryDirectory()
        store = TokenStore(url: directory.url.appendingPathComponent("home/spotify-tokens.json"))
    }

    static func tokens(_ user: String) -> SpotifyTokens {
        // Whole seconds: the file keeps ISO 8601 dates without fractions.
        SpotifyTokens(userID: user, displayName: "The \(user)", clientID: "c", accessToken: "a-\(user)", refreshToken: "r-\(user)",
                      expiresAt: Date(timeIntervalSince1970: 2_000_000_000), scope: "user-read-private",
                      issuedAt: Date(timeIntervalSince1970: 1_900_000_000), loggedInAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func mode(_ url: URL) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
    }

    @Test func theFileIsPrivateInAPrivateFolder() throws {
        try store.save(Self.tokens("alice"))
        #expect(try mode(store.url) == 0o600)
        #expect(try mode(store.url.deletingLastPathComponent()) == 0o700)
        // A later save replaces the file and keeps it private.
        try store.save(Self.tokens("bob"))
        #expect(try mode(store.url) == 0o600)
    }

    @Test func savedTokensLoadAsTheyWereAndRemoveLeavesNone() throws {
        #expect(try store.all().isEmpty)
        #expect(try store.tokens(for: "alice") == nil)
        try store.save(Self.tokens("alice"))
        #expect(try store.tokens(for: "alice") == Self.tokens("alice"))
        var refreshed = Self.tokens("alice")
        refreshed.accessToken = "a2"
        try store.save(refreshed)
        #expect(try store.all() == ["alice": refreshed])
        #expect(try store.remove(user: "alice"))
        #expect(try store.tokens(for: "alice") == nil)
        #expect(try !store.remove(user: "alice"))
        // Nothing left behind but the file and its lock.
        let names = try FileManager.default.contentsOfDirectory(atPath: store.url.deletingLastPathComponent().path).sorted()
        #expect(names == ["spotify-tokens.json", "spotify-tokens.lock"])
    }

    @Test func severalUsersKeepTheirOwnLogins() throws {
        try store.save(Self.tokens("alice"))
        try store.save(Self.tokens("bob"))
        #expect(try store.all().keys.sorted() == ["alice", "bob"])
        #expect(try store.remove(user: "alice"))
        #expect(try !store.remove(user: "alice"))
        #expect(try store.tokens(for: "bob") == Self.tokens("bob"))
    }

    @Test func anUnreadableFileIsNotAuthorisedNamingIt() throws {
        try store.save(Self.tokens("alice"))
        try Data("{\"alice\": {\"userID\": ".utf8).write(to: store.url)
        let unreadable = MoosicError.notAuthorised(
            "the saved Spotify logins at \(store.url.path) are unreadable: run `moosic auth login` again")
        #expect(throws: unreadable) { try store.all() }
        #expect(throws: unreadable) { try store.tokens(for: "alice") }
        #expect(throws: unreadable) { try store.save(Self.tokens("bob")) }
    }

    @Test func concurrentSavesKeepEveryUser() throws {
        let users = (0..<24).map { "user\($0)" }
        let failures = Failures()
        let store = store
        DispatchQueue.concurrentPerform(iterations: users.count) { i in
            do { try store.save(Self.tokens(users[i])) } catch { failures.append(error) }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(try store.all().keys.sorted() == users.sorted())
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.withLock { errors.append(error) } }
    var all: [Error] { lock.withLock { errors } }
}
