import Foundation
import MoosicCore
import MoosicML
import MoosicSpotify
import MoosicStore
import MoosicVision

/// Wires the real stages: the face-mood CNN, the Spotify library (or the fixture / stored library
/// offline), the genre forest, and the Spotify playlist writer (or the local store offline).
public enum StandardPipeline {
    public static func make(environment: MoosicEnvironment, user: String, offline: Bool) throws -> RecommendPipeline {
        try make(store: Store(environment: environment), environment: environment, user: user, offline: offline)
    }

    public static func make(store: Store, environment: MoosicEnvironment, user: String, offline: Bool) throws -> RecommendPipeline {
        // Models first: a missing model is a configuration error before anything is read or written.
        let moodReader = try FaceMoodReader(environment: environment)
        let profiler = ForestGenreProfiler(
            model: try RandomForest.loadGenreModel(from: environment.modelURL(GenreTraining.modelFileName)), catalog: store)
        guard let emotionModel = try SongEmotion.installedModel(environment) else {
            throw MoosicError.configuration("the song-emotion model song_emotion.json is missing (see Models/song_emotion.md)")
        }
        if offline { try importFixtureCatalogIfEmpty(store: store, environment: environment) }
        // The model just loaded, not a second read of its file: scores missing or left by another
        // model are filled in here, so ranking only reads them.
        _ = try store.refreshEmotionScores(model: emotionModel)
        if offline {
            let library: LibrarySyncing
            if let fixtures = try? environment.fixtureLibraryDirectory(user: user) {
                library = LibrarySync(session: .offline(user: user, fixtures: fixtures), repository: store)
            } else {
                library = StoredLibrary(listeners: store)
            }
            return RecommendPipeline(catalog: store, listeners: store, moodReader: moodReader, librarySync: library,
                                     profiler: profiler, publisher: LocalPlaylistWriter(repository: store),
                                     cover: PlaylistCovers(home: environment.home, uploader: nil))
        }
        let session = try SpotifySession.forUser(user, environment: environment)
        return RecommendPipeline(catalog: store, listeners: store, moodReader: moodReader,
                                 librarySync: LibrarySync(session: session, repository: store),
                                 profiler: profiler, publisher: PlaylistWriter(session: session, repository: store),
                                 cover: PlaylistCovers(home: environment.home, uploader: PlaylistCoverUploader(session: session)))
    }

    /// `--offline` on an empty store uses the shipped fixture catalog, so the demo needs nothing
    /// but the repository.
    static func importFixtureCatalogIfEmpty(store: Store, environment: MoosicEnvironment) throws {
        guard try !store.hasCatalog() else { return }
        _ = try CatalogImporter.importFile(at: environment.fixturesDirectory().appendingPathComponent("catalog.csv"),
                                           into: store, skipInvalid: false)
    }
}
