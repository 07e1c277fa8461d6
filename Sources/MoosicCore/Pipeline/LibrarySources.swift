import Foundation

extension LibrarySync: LibrarySyncing {
    public func syncLibrary(user: String, store: Store) async throws -> LibrarySyncSummary {
        let report = try await sync(user: user, store: store)
        var notes: [String] = []
        if report.forbidden > 0 {
            notes.append("Spotify refused the items of \(report.forbidden) playlist(s) you do not own (Development Mode); they are not in your profile")
        }
        return LibrarySyncSummary(playlists: report.playlists, libraryTracks: report.items + report.liked,
                                  requests: report.requests, notes: notes)
    }
}

/// `--offline` for a user without fixture files: the library as the last online sync left it.
public struct StoredLibrary: LibrarySyncing {
    public init() {}

    public func syncLibrary(user: String, store: Store) async throws -> LibrarySyncSummary {
        let tracks = try store.libraryTracks(user: user)
        guard !tracks.isEmpty else {
            throw MoosicError.configuration("offline, and no library stored for \(user): run once online (`moosic library sync --user \(user)`)")
        }
        return LibrarySyncSummary(playlists: 0, libraryTracks: tracks.count, requests: 0,
                                  notes: ["offline: using the library as last synced"])
    }
}
