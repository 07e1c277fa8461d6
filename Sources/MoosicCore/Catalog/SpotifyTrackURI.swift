/// A Spotify track URI, `spotify:track:<id>`: what a playlist is written with and what moosic's JSON
/// shows. The one place moosic builds or reads one.
public struct SpotifyTrackURI: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "spotify:track:"

    /// The track's Spotify id.
    public let id: String

    /// The URI of the track with this id. The id is not checked again: moosic's track ids come from
    /// the catalog, which takes only Spotify ids (`CatalogCSV.isSpotifyID`), and from Spotify.
    public init(id: String) {
        self.id = id
    }

    /// Reads a URI from outside (the command line, a file): `spotify:track:` and 22 letters and
    /// digits (a Spotify id), nothing else; anything else is bad input (65).
    public init(parsing text: String) throws {
        guard text.hasPrefix(Self.prefix), CatalogCSV.isSpotifyID(String(text.dropFirst(Self.prefix.count))) else {
            throw MoosicError.invalidData("not a Spotify track URI: \(text)")
        }
        id = String(text.dropFirst(Self.prefix.count))
    }

    public var description: String { Self.prefix + id }
}
