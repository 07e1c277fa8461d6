import Foundation
import MoosicML

// The narrow views of the store that the domain and the adapters work through. The store
// (MoosicStore) is the one implementation and the only code that writes SQL; each stage sees
// only the part it needs, so a schema change stays inside the store.

/// The catalog as the ranking stage reads it.
public protocol CatalogRepository: CatalogLookup, Sendable {
    func hasCatalog() throws -> Bool
    /// The genres the catalog has songs for.
    func catalogGenres() throws -> Set<String>
    /// Catalog songs of these genres that have an emotion score, one entry per (song, genre).
    func rankingCandidates(genres: [String]) throws -> [RankingCandidate]
    /// The energy of the library songs the catalog has (found as `features(for:)` finds them).
    func listenerArousal(of library: [LibraryTrack]) throws -> ListenerArousal
}

/// A listener's state as the recommend pipeline reads and writes it.
public protocol ListenerRepository: Sendable {
    /// Creates the user's profile if it is not there yet.
    func ensureUser(_ id: String, displayName: String?, now: Date) throws
    /// The latest mood read from a photo, with when it was measured.
    func latestPhotoMood(user: String) throws -> (score: Double, measuredAt: Date)?
    func recordMood(user: String, score: Double, source: String, at date: Date) throws
    /// Every distinct track of the user's synced library: playlist items first, then Liked Songs.
    func libraryTracks(user: String) throws -> [LibraryTrack]
    /// Adds why each song is in the user's moosic playlist to what the playlist writer recorded.
    func annotateGeneratedPlaylist(user: String, picks: [RankedPick]) throws
    /// Every mood read from a photo for the user, oldest first (the usual mood is their median).
    func photoMoods(user: String) throws -> [(at: Date, score: Double)]
    /// Keeps a written playlist in the user's mood history, with the songs it gave.
    func recordPlaylistRun(_ run: PlaylistRun, picks: [RankedPick]) throws

    // What moosic remembers between nights (docs/nightly.md).

    /// Every song moosic gave the user, with the run and when.
    func givenSongs(user: String) throws -> [GivenSong]
    /// The user's latest playlist run if what the listener did with it has not been read yet.
    func unreadPlaylistRun(user: String) throws -> (id: Int64, playlistID: String, madeAt: Date, songs: [GivenSong])?
    /// The track ids of a playlist of the user as the last sync read it, if that sync came at or
    /// after `date` (nil: not read since, or the playlist is gone from their account).
    func syncedPlaylistItems(user: String, playlistID: String, readSince date: Date) throws -> Set<String>?
    /// Every removal and save moosic has noticed and still remembers.
    func feedback(user: String) throws -> [FeedbackEvent]
    /// Stores what a run noticed, and marks the playlist run `read` as read, in one transaction.
    func recordFeedback(user: String, events: [FeedbackEvent], read: Int64?, at date: Date) throws
}

/// A playlist of the user's library as the last sync stored it.
public struct SyncedPlaylistState: Sendable, Equatable {
    public var snapshotID: String
    /// "synced", "forbidden" (Spotify refused its items) or "followed" (not asked for).
    public var itemsStatus: String

    public init(snapshotID: String, itemsStatus: String) {
        self.snapshotID = snapshotID
        self.itemsStatus = itemsStatus
    }
}

/// One playlist of a sync: its details, and its items when they were fetched (nil: keep the stored ones).
public struct SyncedPlaylist: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var position: Int
        public var track: LibraryTrack
        public var addedAt: String?

        public init(position: Int, track: LibraryTrack, addedAt: String?) {
            self.position = position
            self.track = track
            self.addedAt = addedAt
        }
    }

    public var id: String
    public var name: String
    public var ownerID: String
    public var collaborative: Bool
    public var state: SyncedPlaylistState
    public var items: [Item]?

    public init(id: String, name: String, ownerID: String, collaborative: Bool, state: SyncedPlaylistState, items: [Item]?) {
        self.id = id
        self.name = name
        self.ownerID = ownerID
        self.collaborative = collaborative
        self.state = state
        self.items = items
    }
}

/// Everything one library sync learnt, to be stored in one transaction.
public struct SyncedLibrary: Sendable, Equatable {
    public var user: String
    public var displayName: String?
    public var syncedAt: Date
    /// Every playlist the user has now; stored playlists not among them are removed.
    public var playlists: [SyncedPlaylist]
    /// Liked Songs with when they were liked.
    public var liked: [(track: LibraryTrack, addedAt: String?)]

    public init(user: String, displayName: String?, syncedAt: Date, playlists: [SyncedPlaylist],
                liked: [(track: LibraryTrack, addedAt: String?)]) {
        self.user = user
        self.displayName = displayName
        self.syncedAt = syncedAt
        self.playlists = playlists
        self.liked = liked
    }

    public static func == (a: SyncedLibrary, b: SyncedLibrary) -> Bool {
        a.user == b.user && a.displayName == b.displayName && a.syncedAt == b.syncedAt && a.playlists == b.playlists
            && a.liked.elementsEqual(b.liked) { $0.track == $1.track && $0.addedAt == $1.addedAt }
    }
}

/// The user's library as a sync reads and replaces it.
public protocol LibraryRepository: Sendable {
    /// The playlists the last sync stored, by playlist id.
    func syncedPlaylists(user: String) throws -> [String: SyncedPlaylistState]
    /// Replaces the user's stored library with this sync's, all or nothing.
    func saveLibrary(_ library: SyncedLibrary) throws
}

/// The user's one moosic playlist as the playlist writers record it.
public protocol PlaylistRepository: Sendable {
    /// The id of the user's moosic playlist (a Spotify id, or `local:<user>` when written offline).
    func generatedPlaylistID(user: String) throws -> String?
    /// A creation sent to Spotify whose answer has not been seen yet.
    func pendingPlaylist(user: String) throws -> (name: String, description: String)?
    func recordPendingPlaylist(user: String, name: String, description: String, at date: Date) throws
    /// A newly made playlist: its id replaces the stored one, and the pending creation is done.
    func recordCreatedPlaylist(user: String, id: String, name: String, url: String?, at date: Date) throws
    /// The playlist as written: its details and its tracks in order.
    func recordGeneratedPlaylist(user: String, id: String, name: String, url: String?, snapshot: String?, mood: Double?,
                                 uris: [SpotifyTrackURI], at date: Date) throws
}

/// Where a track's audio features came from.
public enum FeatureSource: String, Sendable, Equatable, Codable {
    /// The local catalog (the Spotify Tracks dataset or another imported file).
    case catalog
    /// A features service (ReccoBeats or a compatible one), cached in the store.
    case service
}

/// Audio features a features service gave for library tracks the catalog lacks, cached in the store
/// per Spotify track id, with misses remembered so that the service is not asked again for a while.
public protocol FeatureCacheRepository: Sendable {
    /// The distinct library tracks of `user` whose features neither the catalog (by id, ISRC, or first
    /// artist + title) nor the cache has, leaving out those the service said it does not know since
    /// `missesSince`.
    func tracksWantingFeatures(user: String, missesSince: Date) throws -> [LibraryTrack]
    /// Stores one answer of the service in one transaction: features for the ids it knew (every value
    /// already checked against AudioFeatures.Valid; the store refuses others) and a miss, with its time,
    /// for the ids it was asked for and did not answer.
    func recordFeatures(found: [String: AudioFeatures], missing: [String], source: String, at date: Date) throws
}

/// Everything the catalog and the feature cache know about one library track, for its genre profile.
public struct GenreEvidence: Sendable, Equatable {
    /// The catalog's genre labels of the track (by id, else ISRC, else first artist + title); empty
    /// when the catalog does not have it.
    public var labels: [String]
    public var features: AudioFeatures?
    public var featuresSource: FeatureSource?
    /// How many catalog tracks of each genre the track's artists have (any of its artists, any of theirs).
    public var artistGenres: [String: Int]

    public init(labels: [String] = [], features: AudioFeatures? = nil, featuresSource: FeatureSource? = nil,
                artistGenres: [String: Int] = [:]) {
        self.labels = labels
        self.features = features
        self.featuresSource = featuresSource
        self.artistGenres = artistGenres
    }
}

/// The evidence the genre profiler weighs, one entry per library track in the same order.
public protocol GenreEvidenceLookup: Sendable {
    func genreEvidence(for library: [LibraryTrack]) throws -> [GenreEvidence]
}

/// The genre forest's probabilities per library track, kept under the forest's version (its file's
/// checksum): a profile of an unchanged library reads them instead of decoding the forest.
public protocol GenreProbabilityCache: Sendable {
    /// The probabilities cached for `trackIDs` by the forest of `version` (others are ignored).
    func cachedGenreProbabilities(trackIDs: [String], version: String) throws -> [String: [Double]]
    /// Stores probabilities for tracks under `version`, dropping any kept for another version.
    func recordGenreProbabilities(_ probabilities: [String: [Double]], version: String) throws
}
