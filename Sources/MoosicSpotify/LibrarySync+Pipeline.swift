import Foundation
import MoosicCore

extension LibrarySync: LibrarySyncing {
    public func syncLibrary(user: String) async throws -> LibrarySyncSummary {
        let report = try await sync(user: user)
        var notes: [String] = []
        if report.forbidden > 0 {
            notes.append("Spotify refused the items of \(report.forbidden) playlist(s) you do not own (Development Mode); they are not in your profile")
        }
        return LibrarySyncSummary(playlists: report.playlists, libraryTracks: report.items + report.liked,
                                  requests: report.requests, notes: notes)
    }
}
