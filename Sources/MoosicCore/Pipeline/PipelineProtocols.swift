import Foundation
import MoosicML

/// A face's box in the photo, in pixels of the (orientation-corrected) image.
public struct FaceBox: Sendable, Equatable, Codable {
    public var x: Int, y: Int, w: Int, h: Int
    public init(x: Int, y: Int, w: Int, h: Int) { self.x = x; self.y = y; self.w = w; self.h = h }
}

/// The mood read from a photo.
public struct PhotoMood: Sendable, Equatable {
    /// The mood score in [0, 1], P(happy) + ½ P(neutral) of the face (sad 0, neutral ½, happy 1).
    public var score: Double
    public var facesFound: Int
    public var face: FaceBox?
    public var milliseconds: Double

    public init(score: Double, facesFound: Int, face: FaceBox?, milliseconds: Double) {
        self.score = score
        self.facesFound = facesFound
        self.face = face
        self.milliseconds = milliseconds
    }
}

/// Reads a mood from a face photo (the face-mood CNN behind OpenCV).
public protocol MoodReading: Sendable {
    func readMood(photo: String) throws -> PhotoMood
}

/// What a library sync did.
public struct LibrarySyncSummary: Sendable, Equatable {
    public var playlists: Int
    public var libraryTracks: Int
    public var requests: Int
    /// Requests sent to the features service (0 when every library track's features are known).
    public var featureRequests: Int
    public var notes: [String]

    public init(playlists: Int, libraryTracks: Int, requests: Int, featureRequests: Int = 0, notes: [String] = []) {
        self.playlists = playlists
        self.libraryTracks = libraryTracks
        self.requests = requests
        self.featureRequests = featureRequests
        self.notes = notes
    }
}

/// Brings a user's Spotify library (playlists and Liked Songs) into the store.
public protocol LibrarySyncing: Sendable {
    func syncLibrary(user: String) async throws -> LibrarySyncSummary
}

/// Infers a genre profile from library tracks (the random forest over catalog audio features).
public protocol GenreProfiling: Sendable {
    func profile(of library: [LibraryTrack]) throws -> GenreProfile
}

/// The user's one moosic playlist after a write.
public struct PublishedPlaylist: Sendable, Equatable, Codable {
    enum CodingKeys: String, CodingKey {
        case id, url, name, created
        case trackCount = "track_count"
    }

    public var id: String
    public var url: String?
    public var name: String
    /// True when this write made the playlist (none existed, or the stored one had been deleted).
    public var created: Bool
    public var trackCount: Int

    public init(id: String, url: String?, name: String, created: Bool, trackCount: Int) {
        self.id = id
        self.url = url
        self.name = name
        self.created = created
        self.trackCount = trackCount
    }
}

/// Writes the user's moosic playlist: to Spotify or, offline, only into the local store. Either
/// way it is recorded as the user's generated playlist.
public protocol PlaylistPublishing: Sendable {
    func write(user: String, name: String, description: String, uris: [SpotifyTrackURI], mood: Double?) async throws -> PublishedPlaylist
}

extension PlaylistPublishing {
    public func write(user: String, name: String, description: String, uris: [SpotifyTrackURI]) async throws -> PublishedPlaylist {
        try await write(user: user, name: name, description: description, uris: uris, mood: nil)
    }
}
