import Foundation
import MoosicCore

/// One moosic playlist per user on Spotify, its id kept in the store. A stored id that Spotify
/// answers 200 for is reused and its items replaced (PUT the first 100, POST the rest by 100);
/// 404 means the user deleted it, so a new one is made; any other answer is an error, never a
/// reason to make a second playlist. A creation whose answer was lost is found again by its
/// name and description (recorded before the POST), so an interrupted run leaves one playlist.
public struct PlaylistWriter: PlaylistPublishing {
    public static let batchSize = 100
    public let session: SpotifySession
    public let repository: any PlaylistRepository
    private let now: @Sendable () -> Date

    public init(session: SpotifySession, repository: any PlaylistRepository, now: @escaping @Sendable () -> Date = { Date() }) {
        self.session = session
        self.repository = repository
        self.now = now
    }

    struct Items: Encodable, Sendable { var uris: [String] }
    struct Details: Encodable, Sendable { var name: String; var description: String; var `public`: Bool? }

    public func write(user: String, name: String, description: String, uris: [SpotifyTrackURI],
                      mood: Double? = nil) async throws -> PublishedPlaylist {
        guard user == session.user else {
            throw MoosicError.internalFailure("playlist of \(user) asked through the session of \(session.user)")
        }
        let client = session.client
        var target: (id: String, url: String?)?
        var created = false
        if let storedID = try repository.generatedPlaylistID(user: user), !storedID.hasPrefix(LocalPlaylistWriter.idPrefix) {
            let response = try await client.send("GET", "playlists/\(storedID)")
            switch response.status {
            case 200:
                let playlist = try SpotifyClient.decode(SpotifyPlaylist.self, response.body, "GET /playlists/{id}")
                target = (playlist.id, playlist.external_urls?["spotify"])
            case 404:
                target = nil
            default:
                try SpotifyClient.expectSuccess(response, "GET /playlists/\(storedID)")
                throw MoosicError.internalFailure("Spotify answered \(response.status) to GET /playlists/\(storedID)")
            }
        }
        if target == nil {
            let made = try await create(user: user, name: name, description: description)
            target = made
            created = true
            try repository.recordCreatedPlaylist(user: user, id: made.id, name: name, url: made.url, at: now())
        }
        let playlist = target!
        let snapshot = try await replaceItems(of: playlist.id, with: uris)
        if !created {
            let response = try await client.send("PUT", "playlists/\(playlist.id)", json: Details(name: name, description: description, public: nil))
            try SpotifyClient.expectSuccess(response, "PUT /playlists/{id}")
        }
        try repository.recordGeneratedPlaylist(user: user, id: playlist.id, name: name, url: playlist.url, snapshot: snapshot,
                                               mood: mood, uris: uris, at: now())
        return PublishedPlaylist(id: playlist.id, url: playlist.url, name: name, created: created, trackCount: uris.count)
    }

    /// A new private playlist, or the one an interrupted earlier creation left behind.
    private func create(user: String, name: String, description: String) async throws -> (id: String, url: String?) {
        if let pending = try repository.pendingPlaylist(user: user),
           let found = try await findCreated(user: user, name: pending.name, description: pending.description) {
            return found
        }
        // A request that needs the login before anything is written: a revoked login fails here (77)
        // and leaves the store as it was.
        _ = try await session.client.get("me", as: SpotifyUser.self)
        try repository.recordPendingPlaylist(user: user, name: name, description: description, at: now())
        var failures = 0
        while true {
            do {
                let response = try await session.client.send("POST", "me/playlists",
                                                              json: Details(name: name, description: description, public: false))
                try SpotifyClient.expectSuccess(response, "POST /me/playlists")
                let playlist = try SpotifyClient.decode(SpotifyPlaylist.self, response.body, "POST /me/playlists")
                return (playlist.id, playlist.external_urls?["spotify"])
            } catch MoosicError.temporary(let message) {
                // The answer was lost or was a 5xx: Spotify may have made the playlist anyway.
                failures += 1
                guard await !session.client.requester.gaveUpOnRateLimit else { throw MoosicError.temporary(message) }
                if let found = try await findCreated(user: user, name: name, description: description) { return found }
                guard try await session.client.requester.waitBeforeRetrying(after: failures) else { throw MoosicError.temporary(message) }
            }
        }
    }

    private func findCreated(user: String, name: String, description: String) async throws -> (id: String, url: String?)? {
        var match: SpotifyPlaylist?
        _ = try await session.client.walkPages("me/playlists", of: SpotifyPlaylist.self) { page in
            match = page.first { $0.owner.id == user && $0.name == name && ($0.description ?? "") == description }
            return match == nil
        }
        return match.map { ($0.id, $0.external_urls?["spotify"]) }
    }

    /// PUT replaces the items with the first batch, POSTs append the rest. A POST whose answer was
    /// lost may or may not have been applied, so the whole sequence starts again from the PUT,
    /// which makes it right either way.
    private func replaceItems(of id: String, with uris: [SpotifyTrackURI]) async throws -> String? {
        let batches = stride(from: 0, to: max(uris.count, 1), by: Self.batchSize).map {
            uris[$0..<min($0 + Self.batchSize, uris.count)].map(\.description)
        }
        var failures = 0
        while true {
            // The client has already retried the PUT (idempotent) as far as it should.
            let first = try await session.client.send("PUT", "playlists/\(id)/items", json: Items(uris: batches[0]))
            try SpotifyClient.expectSuccess(first, "PUT /playlists/{id}/items")
            var snapshot = try? JSONDecoder().decode(SpotifySnapshot.self, from: first.body).snapshot_id
            do {
                for batch in batches.dropFirst() {
                    let response = try await session.client.send("POST", "playlists/\(id)/items", json: Items(uris: batch))
                    try SpotifyClient.expectSuccess(response, "POST /playlists/{id}/items")
                    snapshot = (try? JSONDecoder().decode(SpotifySnapshot.self, from: response.body).snapshot_id) ?? snapshot
                }
                return snapshot
            } catch MoosicError.temporary(let message) {
                failures += 1
                guard try await session.client.requester.waitBeforeRetrying(after: failures) else { throw MoosicError.temporary(message) }
            }
        }
    }
}

/// `--offline`: the playlist goes into the local store only, under a local id.
public struct LocalPlaylistWriter: PlaylistPublishing {
    public static let idPrefix = "local:"
    public let repository: any PlaylistRepository
    private let now: @Sendable () -> Date

    public init(repository: any PlaylistRepository, now: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.now = now
    }

    public func write(user: String, name: String, description: String, uris: [SpotifyTrackURI],
                      mood: Double? = nil) async throws -> PublishedPlaylist {
        let created = try repository.generatedPlaylistID(user: user) == nil
        let id = Self.idPrefix + user
        try repository.recordGeneratedPlaylist(user: user, id: id, name: name, url: nil, snapshot: nil, mood: mood,
                                               uris: uris, at: now())
        return PublishedPlaylist(id: id, url: nil, name: name, created: created, trackCount: uris.count)
    }
}
