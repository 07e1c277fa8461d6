import Foundation
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicStore

/// What the store keeps between nights: each run's songs, when a run's playlist was read back, the
/// listener's removals and saves, and clearing the dislikes.
@Suite struct StoreNightsTests {
    static let night = Date(timeIntervalSince1970: 1_800_000_000)

    func pick(_ id: String, genre: String = "rock", new: Bool = true) -> RankedPick {
        RankedPick(candidate: RankingCandidate(id: id, name: "Song \(id)", artists: "A;B", genre: genre, emotion: 0.5,
                                               popularity: 1),
                   target: 0.5, arousalTarget: 0.5, score: 1, reason: "", isNewToUser: new)
    }

    func run(_ store: Store, at date: Date, _ ids: [String]) throws {
        try store.recordPlaylistRun(PlaylistRun(user: "u", madeAt: date, mood: 0.5, moodSource: "photo", strategy: .match,
                                                trackCount: ids.count, playlistID: "pl", playlistName: "moosic",
                                                playlistURL: nil, coverPath: nil), picks: ids.map { pick($0) })
    }

    @Test func runsKeepTheirSongsAndFeedbackIsReadOnceAndCleared() throws {
        let store = try Store()
        try store.ensureUser("u")
        try run(store, at: Self.night, ["a", "b"])
        try run(store, at: Self.night.addingTimeInterval(86400), ["c", "d"])
        let given = try store.givenSongs(user: "u")
        #expect(given.map(\.trackID) == ["a", "b", "c", "d"])
        #expect(given.map(\.genre) == ["rock", "rock", "rock", "rock"] && given[0].artists == "A;B" && given[0].newToUser)

        // The latest run is unread; its playlist's items count only from a sync at or after it.
        let unread = try #require(try store.unreadPlaylistRun(user: "u"))
        #expect(unread.songs.map(\.trackID) == ["c", "d"] && unread.playlistID == "pl")
        func sync(at date: Date, items: [String]) throws {
            try store.saveLibrary(SyncedLibrary(user: "u", displayName: nil, syncedAt: date, playlists: [
                SyncedPlaylist(id: "pl", name: "moosic", ownerID: "u", collaborative: false,
                               state: SyncedPlaylistState(snapshotID: "s\(date.timeIntervalSince1970)", itemsStatus: "synced"),
                               items: items.enumerated().map { .init(position: $0.offset, track: LibraryTrack(id: $0.element, name: $0.element, artists: "A"), addedAt: nil) }),
            ], liked: []))
        }
        try sync(at: Self.night, items: ["a", "b"])
        #expect(try store.syncedPlaylistItems(user: "u", playlistID: "pl", readSince: unread.madeAt) == nil)
        try sync(at: Self.night.addingTimeInterval(2 * 86400), items: ["d"])
        #expect(try store.syncedPlaylistItems(user: "u", playlistID: "pl", readSince: unread.madeAt) == ["d"])

        let removed = FeedbackEvent(kind: .removed, song: unread.songs[0], notedAt: Self.night.addingTimeInterval(2 * 86400))
        let saved = FeedbackEvent(kind: .saved, song: given[0], notedAt: Self.night.addingTimeInterval(2 * 86400))
        try store.recordFeedback(user: "u", events: [removed, saved], read: unread.id, at: removed.notedAt)
        #expect(try store.unreadPlaylistRun(user: "u") == nil)
        #expect(try store.feedback(user: "u") == [removed, saved])
        // Recording the same again changes nothing.
        try store.recordFeedback(user: "u", events: [removed], read: nil, at: removed.notedAt)
        #expect(try store.feedback(user: "u").count == 2)

        #expect(try store.clearDislikes(user: "u", track: "nope") == 0)
        #expect(try store.clearDislikes(user: "u", track: "c") == 1)
        #expect(try store.feedback(user: "u") == [saved])
        #expect(try store.clearDislikes(user: "u") == 0)
    }
}
