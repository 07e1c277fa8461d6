import Foundation
import MoosicCore
import MoosicIO
import MoosicFeatures
import MoosicML
import MoosicSpotify
import MoosicStore
import MoosicVision

/// Wires the real stages: the face-mood CNN, the Spotify library (or the fixture / stored library
/// offline), the genre forest, and the Spotify playlist writer (or the local store offline).
public enum StandardPipeline {
    public static func make(installation: Installation, user: String, offline: Bool) throws -> RecommendPipeline {
        try make(store: Store(environment: installation.environment), installation: installation, user: user, offline: offline)
    }

    /// `readsPhoto` false (a refresh from the stored mood): the face model is not loaded, only
    /// checked to be there; it would take as long as the rest of the run.
    public static func make(store: Store, installation: Installation, user: String, offline: Bool,
                            readsPhoto: Bool = true) throws -> RecommendPipeline {
        let environment = installation.environment
        // Models first: a missing model is a configuration error before anything is read or written.
        let moodReader: MoodReading = readsPhoto ? try FaceMoodReader(environment: environment)
                                                 : try FaceMoodOnDemand(environment: environment)
        // The forest's header only: its trees are decoded when a track needs them and the store's
        // cache does not have its probabilities.
        let profiler = ForestGenreProfiler(forest: try GenreForest(url: environment.modelURL(GenreTraining.modelFileName)),
                                           evidence: store, cache: store)
        guard let emotionModel = try SongEmotion.installedModel(environment) else {
            throw MoosicError.configuration("the song-emotion model song_emotion.json is missing (see Models/song_emotion.md)")
        }
        if offline {
            try importFixtureCatalogIfEmpty(store: store, environment: environment, emotionModel: emotionModel)
        } else {
            try importShippedCatalogIfEmpty(store: store, environment: environment, emotionModel: emotionModel)
        }
        // The model just loaded, not a second read of its file: scores missing or left by another
        // model are filled in here, so ranking only reads them.
        _ = try store.refreshEmotionScores(model: emotionModel)
        // The machine's clock, or MOOSIC_NOW's (a test hook): every date the run stores comes from it.
        let now = try installation.clock
        if offline {
            let library: LibrarySyncing
            if let fixtures = try? session(user: user, offline: true, installation: installation) {
                library = LibrarySync(session: fixtures, repository: store, now: now)
            } else {
                library = StoredLibrary(listeners: store)
            }
            return RecommendPipeline(catalog: store, listeners: store, moodReader: moodReader, librarySync: library,
                                     profiler: profiler, publisher: LocalPlaylistWriter(repository: store, now: now),
                                     cover: PlaylistCovers(home: environment.home, uploader: nil), now: now)
        }
        let spotify = try session(user: user, offline: false, installation: installation)
        let library = LibrarySync(session: spotify, repository: store, now: now)
        return RecommendPipeline(catalog: store, listeners: store, moodReader: moodReader,
                                 librarySync: try featureBackfill(library, store: store, configuration: installation.features) ?? library,
                                 profiler: profiler, publisher: PlaylistWriter(session: spotify, repository: store, now: now),
                                 cover: PlaylistCovers(home: environment.home, uploader: PlaylistCoverUploader(session: spotify)),
                                 now: now)
    }

    /// The user's Spotify session: offline, the fixture library (Fixtures/spotify/<user>/, a
    /// configuration error when there is none); online, the user's login (77 when there is none).
    public static func session(user: String, offline: Bool, installation: Installation) throws -> SpotifySession {
        if offline {
            return .offline(user: user, fixtures: try installation.environment.fixtureLibraryDirectory(user: user))
        }
        return try SpotifySession.forUser(user, environment: installation.environment, configuration: installation.spotify)
    }

    /// `library`'s sync followed by the features service's backfill; nil when MOOSIC_FEATURES_URL is
    /// empty. Offline runs use the feature cache only and never come here.
    static func featureBackfill(_ library: any LibrarySyncing, store: Store, configuration: FeaturesConfiguration) -> FeatureBackfill? {
        guard configuration.baseURL != nil else { return nil }
        return FeatureBackfill(library: library, cache: store, client: FeaturesClient(configuration: configuration))
    }

    /// An empty store, online, gets the shipped full catalog (Models/spotify-tracks.csv.xz).
    public static func importShippedCatalogIfEmpty(store: Store, environment: MoosicEnvironment,
                                                   emotionModel: SongEmotionModel? = nil) throws {
        try ShippedCatalog.importIfEmpty(store: store, environment: environment, emotionModel: emotionModel)
    }

    /// `--offline` on an empty store uses the shipped fixture catalog, so the demo needs nothing
    /// but the repository.
    static func importFixtureCatalogIfEmpty(store: Store, environment: MoosicEnvironment,
                                            emotionModel: SongEmotionModel? = nil) throws {
        guard try !store.hasCatalog() else { return }
        _ = try CatalogImporter.importFile(at: environment.fixturesDirectory().appendingPathComponent("catalog.csv"),
                                           into: store, skipInvalid: false, emotionModel: emotionModel)
    }
}

/// The face-mood reader loaded on its first use, for runs that normally read no photo. Its files
/// are checked at once, so a missing model is still a configuration error before anything is written.
final class FaceMoodOnDemand: MoodReading, @unchecked Sendable {
    private let environment: MoosicEnvironment
    private let lock = NSLock()
    private var reader: FaceMoodReader?

    init(environment: MoosicEnvironment) throws {
        _ = try environment.modelURL(FaceMoodReader.modelFile)
        _ = try environment.modelURL(FaceMoodReader.settingsFile)
        self.environment = environment
    }

    var isLoaded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reader != nil
    }

    func readMood(photo: String) throws -> PhotoMood {
        lock.lock()
        defer { lock.unlock() }
        if reader == nil { reader = try FaceMoodReader(environment: environment) }
        return try reader!.readMood(photo: photo)
    }
}
