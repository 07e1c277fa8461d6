import MoosicML
/// A song in a user's Spotify library (their playlists' items and Liked Songs), as synced into the
/// store. Its id may or may not be in the catalog; `isrc` and artist + title help find it there.
public struct LibraryTrack: Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
    /// Artist names joined by ";" as in the catalog.
    public var artists: String
    public var isrc: String?

    public init(id: String, name: String, artists: String, isrc: String? = nil) {
        self.id = id
        self.name = name
        self.artists = artists
        self.isrc = isrc
    }
}
