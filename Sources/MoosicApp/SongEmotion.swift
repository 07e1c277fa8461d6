import Foundation
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The song-emotion model as the commands use it: where it lives and keeping the store's scores
/// in step with it.
public enum SongEmotion {
    /// Where `train emotion` writes by default: MOOSIC_MODELS when set, else the shipped Models/.
    public static func defaultModelURL(_ environment: MoosicEnvironment) -> URL {
        (environment.modelsDirectory ?? MoosicEnvironment.shippedModelsDirectory)
            .appendingPathComponent(SongEmotionModel.fileName)
    }

    /// The model in use, or nil when there is none (a missing model is not an error for callers
    /// that can do without scores, such as `catalog import`).
    public static func installedModel(_ environment: MoosicEnvironment) throws -> SongEmotionModel? {
        guard let url = try? environment.modelURL(SongEmotionModel.fileName) else { return nil }
        return try SongEmotionModel.load(from: url)
    }

    /// Re-scores the catalog with the model in use when both the store and the model exist.
    public static func refreshCatalog(_ environment: MoosicEnvironment) throws -> EmotionRefreshReport? {
        guard FileManager.default.fileExists(atPath: environment.storeURL.path),
              let model = try installedModel(environment) else { return nil }
        return try Store(environment: environment).refreshEmotionScores(model: model)
    }
}
