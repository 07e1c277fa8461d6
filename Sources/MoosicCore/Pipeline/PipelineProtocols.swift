import Foundation

/// A face's box in the photo, in pixels of the (orientation-corrected) image.
public struct FaceBox: Sendable, Equatable, Codable {
    public var x: Int, y: Int, w: Int, h: Int
    public init(x: Int, y: Int, w: Int, h: Int) { self.x = x; self.y = y; self.w = w; self.h = h }
}

/// The mood read from a photo.
public struct PhotoMood: Sendable, Equatable {
    /// P(happy), calibrated, in [0, 1].
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
    public var notes: [String]

    public init(playlists: Int, libraryTracks: Int, requests: Int, notes: [String] = []) {
        self.playlists = playlists
        self.libraryTracks = libraryTracks
        self.requests = requests
        self.notes = notes
    }
}

/// Brings a user's Spotify library (playlists and Liked Songs) into the store.
public protocol LibrarySyncing: Sendable {
    func syncLibrary(user: String, store: Store) async throws -> LibrarySyncSummary
}

/// Infers a genre profile from library tracks (the random forest over catalog audio features).
public protocol GenreProfiling: Sendable {
    func profile(of library: [LibraryTrack], store: Store) throws -> GenreProfile
}
