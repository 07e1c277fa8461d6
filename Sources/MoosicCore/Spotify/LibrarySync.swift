import Foundation
import GRDB

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
    private let now: @Sendable () -> Date

    public init(session: SpotifySession, now: @escaping @Sendable () -> Date = { Date() }) {
        self.session = session
        self.now = now
    }

    private struct PlaylistRow {
        var playlist: SpotifyPlaylist
        var status: String
        /// nil: keep the stored items.
        var items: [(position: Int, track: LibraryTrack, addedAt: String?)]?
    }

    public func sync(user: String, store: Store) async throws -> SyncReport {
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
        let stored: [String: (snapshot: String, status: String)] = try await store.database.read { db in
            var result: [String: (String, String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT playlist_id, snapshot_id, items_status FROM library_playlist WHERE user_id = ?",
                                        arguments: [user]) {
                result[row["playlist_id"]] = (row["snapshot_id"], row["items_status"])
            }
            return result
        }

        let playlists = try await pages("me/playlists", of: SpotifyPlaylist.self) ?? []
        var rows: [PlaylistRow] = []
        for playlist in playlists {
            report.playlists += 1
            let snapshot = playlist.snapshot_id ?? ""
            guard playlist.owner.id == user || playlist.collaborative == true else {
                report.followed += 1
                rows.append(PlaylistRow(playlist: playlist, status: "followed", items: []))
                continue
            }
            if let previous = stored[playlist.id], previous.status == "synced", previous.snapshot == snapshot, !snapshot.isEmpty {
                report.unchanged += 1
                rows.append(PlaylistRow(playlist: playlist, status: "synced", items: nil))
                continue
            }
            if let entries = try await pages("playlists/\(playlist.id)/items", of: SpotifyEntry.self) {
                var items: [(Int, LibraryTrack, String?)] = []
                for (position, entry) in entries.enumerated() {
                    if let track = entry.libraryTrack {
                        items.append((position, track, entry.added_at))
                    } else {
                        report.skippedEntries += 1
                    }
                }
                report.fetched += 1
                report.items += items.count
                rows.append(PlaylistRow(playlist: playlist, status: "synced", items: items))
            } else {
                report.forbidden += 1
                rows.append(PlaylistRow(playlist: playlist, status: "forbidden", items: []))
            }
        }

        let saved = try await pages("me/tracks", of: SpotifyEntry.self) ?? []
        var liked: [(LibraryTrack, String?)] = []
        for entry in saved {
            if let track = entry.libraryTrack { liked.append((track, entry.added_at)) } else { report.skippedEntries += 1 }
        }
        report.liked = liked.count
        report.requests = await client.requestCount - requestsBefore

        let timestamp = ISO8601DateFormatter().string(from: now())
        let (finalRows, finalLiked) = (rows, liked)
        try await store.database.write { db in
            try db.execute(sql: """
                INSERT INTO user_profile (id, display_name, created_at, last_sync_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, last_sync_at = excluded.last_sync_at
                """, arguments: [user, me.display_name, timestamp, timestamp])
            let current = Set(finalRows.map(\.playlist.id))
            for gone in stored.keys where !current.contains(gone) {
                try db.execute(sql: "DELETE FROM library_playlist WHERE user_id = ? AND playlist_id = ?", arguments: [user, gone])
            }
            for row in finalRows {
                let playlist = row.playlist
                try db.execute(sql: """
                    INSERT INTO library_playlist (user_id, playlist_id, name, owner_id, collaborative, snapshot_id, items_status, synced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(user_id, playlist_id) DO UPDATE SET name = excluded.name, owner_id = excluded.owner_id,
                        collaborative = excluded.collaborative, snapshot_id = excluded.snapshot_id,
                        items_status = excluded.items_status, synced_at = excluded.synced_at
                    """, arguments: [user, playlist.id, playlist.name, playlist.owner.id, playlist.collaborative ?? false,
                                     playlist.snapshot_id ?? "", row.status, timestamp])
                guard let items = row.items else { continue }
                try db.execute(sql: "DELETE FROM library_playlist_item WHERE user_id = ? AND playlist_id = ?",
                               arguments: [user, playlist.id])
                for item in items {
                    try db.execute(sql: """
                        INSERT INTO library_playlist_item (user_id, playlist_id, position, track_id, name, artists, isrc, added_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [user, playlist.id, item.position, item.track.id, item.track.name,
                                         item.track.artists, item.track.isrc, item.addedAt])
                }
            }
            try db.execute(sql: "DELETE FROM liked_track WHERE user_id = ?", arguments: [user])
            for (track, addedAt) in finalLiked {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO liked_track (user_id, track_id, name, artists, isrc, added_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [user, track.id, track.name, track.artists, track.isrc, addedAt])
            }
        }
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
