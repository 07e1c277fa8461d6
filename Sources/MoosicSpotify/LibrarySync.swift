import Foundation
import MoosicCore

/// What one library sync did.
public struct SyncReport: Sendable, Equatable, Codable {
    /// Playlists in GET /me/playlists.
    public var playlists = 0
    /// Playlists whose items were fetched (new or changed snapshot).
    public var fetched = 0
    /// Playlists whose snapshot had not changed: items kept from the last sync, not fetched.
    public var unchanged = 0
    /// Playlists whose items Spotify refused with 403.
    public var forbidden = 0
    /// Playlists the user only follows (neither owner nor collaborator): items not asked for,
    /// since Development Mode refuses them.
    public var followed = 0
    /// Playlist items stored from the fetched playlists.
    public var items = 0
    /// Entries skipped: local files, episodes.
    public var skippedEntries = 0
    /// Liked Songs.
    public var liked = 0
    /// HTTP requests the sync sent (token refreshes and retries included).
    public var requests = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case playlists, fetched, unchanged, forbidden, followed, items, liked, requests
        case skippedEntries = "skipped_entries"
    }
}

/// Copies a user's Spotify library (their own and collaborative playlists' items, Liked Songs) into
/// the store. Incremental: a playlist whose snapshot_id is the one stored is not fetched again.
/// Everything lands in one transaction, so a failed sync leaves the previous one intact.
public struct LibrarySync: Sendable {
    public static let pageSize = 50
    public let session: SpotifySession
    public let repository: any LibraryRepository
    private let now: @Sendable () -> Date

    public init(session: SpotifySession, repository: any LibraryRepository, now: @escaping @Sendable () -> Date = { Date() }) {
        self.session = session
        self.repository = repository
        self.now = now
    }

    public func sync(user: String) async throws -> SyncReport {
        guard user == session.user else {
            throw MoosicError.internalFailure("sync of \(user) asked through the session of \(session.user)")
        }
        let client = session.client
        let requestsBefore = await client.requestCount
        var report = SyncReport()

        let me = try await client.get("me", as: SpotifyUser.self)
        guard me.id == user else {
            throw MoosicError.notAuthorised("the saved login for \(user) belongs to Spotify user \(me.id): run `moosic auth login` again")
        }
        let stored = try repository.syncedPlaylists(user: user)

        let playlists = try await pages("me/playlists", of: SpotifyPlaylist.self) ?? []
        var rows: [SyncedPlaylist] = []
        func row(_ playlist: SpotifyPlaylist, _ status: String, _ items: [SyncedPlaylist.Item]?) -> SyncedPlaylist {
            SyncedPlaylist(id: playlist.id, name: playlist.name, ownerID: playlist.owner.id,
                           collaborative: playlist.collaborative ?? false,
                           state: SyncedPlaylistState(snapshotID: playlist.snapshot_id ?? "", itemsStatus: status), items: items)
        }
        for playlist in playlists {
            report.playlists += 1
            let snapshot = playlist.snapshot_id ?? ""
            guard playlist.owner.id == user || playlist.collaborative == true else {
                report.followed += 1
                rows.append(row(playlist, "followed", []))
                continue
            }
            if let previous = stored[playlist.id], previous.itemsStatus == "synced", previous.snapshotID == snapshot, !snapshot.isEmpty {
                report.unchanged += 1
                rows.append(row(playlist, "synced", nil))
                continue
            }
            if let entries = try await pages("playlists/\(playlist.id)/items", of: SpotifyEntry.self) {
                var items: [SyncedPlaylist.Item] = []
                for (position, entry) in entries.enumerated() {
                    if let track = entry.libraryTrack {
                        items.append(SyncedPlaylist.Item(position: position, track: track, addedAt: entry.added_at))
                    } else {
                        report.skippedEntries += 1
                    }
                }
                report.fetched += 1
                report.items += items.count
                rows.append(row(playlist, "synced", items))
            } else {
                report.forbidden += 1
                rows.append(row(playlist, "forbidden", []))
            }
        }

        let saved = try await pages("me/tracks", of: SpotifyEntry.self) ?? []
        var liked: [(track: LibraryTrack, addedAt: String?)] = []
        for entry in saved {
            if let track = entry.libraryTrack { liked.append((track, entry.added_at)) } else { report.skippedEntries += 1 }
        }
        report.liked = liked.count
        report.requests = await client.requestCount - requestsBefore

        try repository.saveLibrary(SyncedLibrary(user: user, displayName: me.display_name, syncedAt: now(),
                                                 playlists: rows, liked: liked))
        return report
    }

    /// Every item of a paged endpoint, `pageSize` at a time; nil when Spotify refuses a playlist's
    /// items with 403 (someone else's playlist: expected, not an error).
    private func pages<Item: Decodable>(_ path: String, of type: Item.Type) async throws -> [Item]? {
        var items: [Item] = []
        var offset = 0
        while true {
            let response = try await session.client.send("GET", path, query: [("limit", String(Self.pageSize)), ("offset", String(offset))])
            if response.status == 403, path.hasPrefix("playlists/"), !SpotifyClient.errorMessage(response.body).lowercased().contains("scope") {
                return nil
            }
            try SpotifyClient.expectSuccess(response, "GET /\(path)")
            let page = try SpotifyClient.decode(SpotifyPage<Item>.self, response.body, "GET /\(path)")
            items += page.items
            offset += page.items.count
            if page.next == nil || page.items.isEmpty || offset >= page.total { return items }
        }
    }
}
