import Foundation
import MoosicCore
import MoosicIO
import MoosicStore

/// `moosic dislikes`: the songs the listener removed from moosic's playlist, as moosic remembers them.
public struct ListenerDislikes: Sendable, Encodable {
    public struct Dislike: Sendable, Encodable, Equatable {
        public var id: String
        public var name: String
        public var artists: String
        public var genre: String
        /// When moosic gave it, and when it noticed it was removed.
        public var givenAt: String
        public var noticedAt: String
    }

    public struct Cleared: Sendable, Encodable {
        public var user: String
        public var cleared: Int

        public init(user: String, cleared: Int) {
            self.user = user
            self.cleared = cleared
        }
    }

    public var user: String
    public var dislikes: [Dislike]

    public static func load(user: String, store: Store) throws -> ListenerDislikes {
        ListenerDislikes(user: user, dislikes: try store.feedback(user: user).filter { $0.kind == .removed }.map {
            Dislike(id: $0.song.trackID, name: $0.song.name, artists: $0.song.artists.replacingOccurrences(of: ";", with: ", "),
                    genre: $0.song.genre, givenAt: $0.song.givenAt.formatted(.iso8601), noticedAt: $0.notedAt.formatted(.iso8601))
        })
    }

    public static func load(user: String, environment: MoosicEnvironment) throws -> ListenerDislikes {
        try load(user: user, store: Store(environment: environment))
    }

    /// Forgets every dislike of the user, or the one of `track` (not remembered: bad input, 65).
    public static func clear(user: String, track: String?, environment: MoosicEnvironment) throws -> Int {
        let cleared = try Store(environment: environment).clearDislikes(user: user, track: track)
        if let track, cleared == 0 {
            throw MoosicError.invalidData("\(user) has no remembered dislike of track \(track) (see `moosic dislikes list --user \(user)`)")
        }
        return cleared
    }

    public var text: String {
        guard !dislikes.isEmpty else { return "\(user) has removed no song from moosic's playlist" }
        var lines = ["\(user): \(dislikes.count) song\(dislikes.count == 1 ? "" : "s") removed from moosic's playlist, never offered again"]
        for d in dislikes {
            lines.append("\(d.id)  \"\(d.name)\" (\(d.artists)), \(d.genre), given \(d.givenAt.prefix(10)), noticed \(d.noticedAt.prefix(10))")
        }
        return lines.joined(separator: "\n")
    }
}
