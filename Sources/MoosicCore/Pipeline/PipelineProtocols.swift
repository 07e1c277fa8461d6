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
    /// The network's calibrated three-way reading the score is made of (nil for a model without it).
    public var probabilities: MoodProbabilities?

    public init(score: Double, facesFound: Int, face: FaceBox?, milliseconds: Double, probabilities: MoodProbabilities? = nil) {
        self.score = score
        self.facesFound = facesFound
        self.face = face
        self.milliseconds = milliseconds
        self.probabilities = probabilities
    }
}

/// P(happy), P(neutral) and P(sad) of a face, summing to 1; the mood score is happy + ½ neutral. The
/// score places a face on the sad ↔ happy axis; these say how sure the network is of each class.
public struct MoodProbabilities: Sendable, Equatable, Codable {
    public var happy: Double
    public var neutral: Double
    public var sad: Double

    public init(happy: Double, neutral: Double, sad: Double) {
        self.happy = happy
        self.neutral = neutral
        self.sad = sad
    }

    /// P(happy) / (P(happy) + P(sad)): how likely happy rather than sad, whatever the neutral share —
    /// the reading that is calibrated on happy and sad faces (nil when both are 0).
    public var happyAgainstSad: Double? { happy + sad > 0 ? happy / (happy + sad) : nil }
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
