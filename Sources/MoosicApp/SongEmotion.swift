import Foundation
import MoosicCore
import MoosicIO
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The song-emotion model as the commands use it: where it lives and keeping the store's scores
/// in step with it.
public enum SongEmotion {
    /// Where `train emotion` writes by default: MOOSIC_MODELS when set, else the shipped models.
    public static func defaultModelURL(_ environment: MoosicEnvironment) throws -> URL {
        try environment.modelsFolder().appendingPathComponent(SongEmotionModel.fileName)
    }

    /// The model in use, or nil when there is none (a missing model is not an error for callers
    /// that can do without scores, such as `catalog import`).
    public static func installedModel(_ environment: MoosicEnvironment) throws -> SongEmotionModel? {
        guard let url = try? environment.modelURL(SongEmotionModel.fileName) else { return nil }
        return try SongEmotionModel.load(from: url)
    }

    /// Keeps the store's emotion scores in step with the model in use: scores that are missing or
    /// were left by another model are computed again, so ranking only ever reads them. Nil when no
    /// model is in use.
    public static func refreshScores(in store: Store, environment: MoosicEnvironment) throws -> EmotionRefreshReport? {
        guard let model = try installedModel(environment) else { return nil }
        return try store.refreshEmotionScores(model: model)
    }

    /// After a model was written to `url`: `refreshScores` on the store of `environment` when `url` is
    /// the model in use (only its scores belong in the store) and there is a store (a new model
    /// does not make one).
    public static func refreshCatalog(_ environment: MoosicEnvironment, afterWriting url: URL) throws -> EmotionRefreshReport? {
        guard url.standardizedFileURL == (try? defaultModelURL(environment))?.standardizedFileURL,
              FileManager.default.fileExists(atPath: environment.storeURL.path) else { return nil }
        return try refreshScores(in: Store(environment: environment), environment: environment)
    }
}
