import Foundation
import MoosicML

/// `--offline` for a user without fixture files: the library as the last online sync left it.
public struct StoredLibrary: LibrarySyncing {
    public let listeners: any ListenerRepository

    public init(listeners: any ListenerRepository) {
        self.listeners = listeners
    }

    public func syncLibrary(user: String) async throws -> LibrarySyncSummary {
        let tracks = try listeners.libraryTracks(user: user)
        guard !tracks.isEmpty else {
            throw MoosicError.configuration("offline, and no library stored for \(user): run once online (`moosic library sync --user \(user)`)")
        }
        return LibrarySyncSummary(playlists: 0, libraryTracks: tracks.count, requests: 0,
                                  notes: ["offline: using the library as last synced"])
    }
}
