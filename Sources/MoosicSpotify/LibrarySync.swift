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
    /// Hears what the sync is at ("playlist 3 of 12: 150 of 700 items"), for a progress line.
    public var progress: (@Sendable (String) -> Void)?

    public init(session: SpotifySession, repository: any LibraryRepository, now: @escaping @Sendable () -> Date = { Date() }) {
        self.session = session
        self.repository = repository
        self.now = now
    }

    public func sync(user: String) async throws -> SyncReport {
        guard user == session.user else {
            throw MoosicError.internalFailure("sync of \(user) asked through the session of \(session.user)")
        }
        let requestsBefore = await session.client.requestCount
        var report = SyncReport()
        let me = try await account(of: user)
        let stored = try repository.syncedPlaylists(user: user)
        var playlists: [SyncedPlaylist] = []
        let listed = try await session.client.allItems("me/playlists", of: SpotifyPlaylist.self) { received, total in
            progress?("playlists \(received) of \(total)")
        }
        for (n, playlist) in listed.enumerated() {
            progress?("playlist \(n + 1) of \(listed.count)")
            playlists.append(try await sync(playlist, of: user, stored: stored[playlist.id], report: &report,
                                            position: "playlist \(n + 1) of \(listed.count)"))
        }
        let liked = try await likedSongs(report: &report)
        report.requests = await session.client.requestCount - requestsBefore
        try repository.saveLibrary(SyncedLibrary(user: user, displayName: me.display_name, syncedAt: now(),
                                                 playlists: playlists, liked: liked))
        return report
    }

    /// The Spotify account the login is for, which must be the user's.
    private func account(of user: String) async throws -> SpotifyUser {
        let me = try await session.client.get("me", as: SpotifyUser.self)
        guard me.id == user else {
            throw MoosicError.notAuthorised("the saved login for \(user) belongs to Spotify user \(me.id): run `moosic auth login` again")
        }
        return me
    }

    /// One playlist as this sync stores it: only followed (items not asked for), unchanged since the
    /// last sync (items kept), fetched, or forbidden (Spotify refused its items).
    private func sync(_ playlist: SpotifyPlaylist, of user: String, stored: SyncedPlaylistState?,
                      report: inout SyncReport, position: String) async throws -> SyncedPlaylist {
        func row(_ status: String, _ items: [SyncedPlaylist.Item]?) -> SyncedPlaylist {
            SyncedPlaylist(id: playlist.id, name: playlist.name, ownerID: playlist.owner.id,
                           collaborative: playlist.collaborative ?? false,
                           state: SyncedPlaylistState(snapshotID: playlist.snapshot_id ?? "", itemsStatus: status), items: items)
        }
        report.playlists += 1
        let snapshot = playlist.snapshot_id ?? ""
        guard playlist.owner.id == user || playlist.collaborative == true else {
            report.followed += 1
            return row("followed", [])
        }
        if let stored, stored.itemsStatus == "synced", stored.snapshotID == snapshot, !snapshot.isEmpty {
            report.unchanged += 1
            return row("synced", nil)
        }
        var entries: [SpotifyEntry] = []
        let end = try await session.client.walkPages("playlists/\(playlist.id)/items", of: SpotifyEntry.self,
                                                     forbiddenIsAnAnswer: true,
                                                     onPage: { received, total in progress?("\(position): \(received) of \(total) items") }) { page in
            entries += page
            return true
        }
        guard end != .forbidden else {
            report.forbidden += 1
            return row("forbidden", [])
        }
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
        return row("synced", items)
    }

    /// Liked Songs with when they were liked; local files and episodes are counted as skipped.
    private func likedSongs(report: inout SyncReport) async throws -> [(track: LibraryTrack, addedAt: String?)] {
        var liked: [(track: LibraryTrack, addedAt: String?)] = []
        for entry in try await session.client.allItems("me/tracks", of: SpotifyEntry.self,
                                                       onPage: { received, total in progress?("liked songs \(received) of \(total)") }) {
            if let track = entry.libraryTrack { liked.append((track, entry.added_at)) } else { report.skippedEntries += 1 }
        }
        report.liked = liked.count
        return liked
    }
}
