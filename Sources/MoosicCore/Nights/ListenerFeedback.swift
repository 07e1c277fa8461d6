import Foundation
import MoosicML

/// Reads what the listener did between two runs, from what moosic wrote and what Spotify holds now.
/// Pure: the store supplies the values, the pipeline stores the events.
public enum ListenerFeedback {
    /// - Parameters:
    ///   - lastRun: the songs of moosic's latest playlist run, if its feedback has not been read yet.
    ///   - playlistNow: the track ids in moosic's playlist as a sync read them after that run (nil:
    ///     not read since, or the playlist is gone: nothing can be said about removals).
    ///   - given: every song moosic ever gave the listener.
    ///   - library: the listener's own library now (Liked Songs and their playlists, not moosic's).
    ///   - known: feedback already stored (a song is saved, or removed, once).
    /// - Returns: a `removed` event for each song of the last run that is gone from the playlist and
    ///   not in the library (moved to one of their playlists is a save, not a dislike), and a `saved`
    ///   event for each song moosic gave as new that is now in the library.
    public static func detect(lastRun: [GivenSong], playlistNow: Set<String>?, given: [GivenSong], library: LibraryIndex,
                              known: [FeedbackEvent], at date: Date) -> [FeedbackEvent] {
        let knownSaved = Set(known.filter { $0.kind == .saved }.map(\.song.trackID))
        let knownRemoved = Set(known.filter { $0.kind == .removed }.map(\.song.trackID))
        var events: [FeedbackEvent] = []
        var saved = Set<String>()
        // The latest run a song was given on is the one the save is counted for.
        for song in given.sorted(by: { ($0.givenAt, $0.runID) > ($1.givenAt, $1.runID) })
        where song.newToUser && !saved.contains(song.trackID) && !knownSaved.contains(song.trackID) && library.contains(song) {
            saved.insert(song.trackID)
            events.append(FeedbackEvent(kind: .saved, song: song, notedAt: date))
        }
        if let playlistNow {
            for song in lastRun where !playlistNow.contains(song.trackID) && !library.contains(song)
                && !knownRemoved.contains(song.trackID) {
                events.append(FeedbackEvent(kind: .removed, song: song, notedAt: date))
            }
        }
        return events
    }
}

extension LibraryIndex {
    public func contains(_ song: GivenSong) -> Bool {
        trackIDs.contains(song.trackID) || matchKeys.contains(song.matchKey)
    }
}
