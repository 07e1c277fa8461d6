import Foundation
import MoosicCore
import MoosicStore

/// `moosic train emotion`: the recipe cross-validated by artist (unless no folds are asked for),
/// the model trained on every song and saved, each song's fold written to the split file when
/// asked, and the store's scores refreshed when the model written is the one in use.
public enum TrainSongEmotion {
    public struct Report: Sendable {
        public var model: SongEmotionModel
        /// The cross-validation before training; nil with no folds.
        public var validation: EmotionCrossValidation?
        /// Seconds of the cross-validation and the training.
        public var seconds: Double
        public var modelURL: URL
        /// The store's scores brought in step with the new model; nil when it is not the model in use or there is no store.
        public var refresh: EmotionRefreshReport?
    }

    /// `modelURL` nil: MOOSIC_MODELS, else the shipped models' song_emotion.json. `splitFile`: where
    /// each song's fold goes as `track_id,fold` lines (only with folds).
    public static func run(songs: [MoodSong], genreRows: EmotionDataset?, features: [EmotionFeature], recipe: EmotionRecipe,
                           folds: Int, modelURL: URL?, splitFile: String?, installation: Installation) throws -> Report {
        let start = Date()
        let validation = folds > 0 ? try SongEmotionTraining.crossValidate(songs: songs, genreRows: genreRows, features: features,
                                                                           recipe: recipe, k: folds, seeds: [recipe.seed]) : nil
        var model = try SongEmotionTraining.train(songs: songs, genreRows: genreRows, features: features, recipe: recipe)
        model.validation = validation?.mean
        let seconds = Date().timeIntervalSince(start)
        let environment = installation.environment
        let url = try modelURL ?? SongEmotion.defaultModelURL(environment)
        try model.save(to: url)
        if let splitFile, let validation {
            try writeSplit(splitFile, ids: songs.map(\.track.id), sets: validation.foldOfSong.map(String.init))
        }
        return Report(model: model, validation: validation, seconds: seconds, modelURL: url,
                      refresh: try SongEmotion.refreshCatalog(environment, afterWriting: url))
    }

    /// Writes "track_id,set" lines (set: the fold number, or train/validation) for the benchmark.
    public static func writeSplit(_ path: String, ids: [String], sets: [String]) throws {
        var text = "track_id,set\n"
        for (id, set) in zip(ids, sets) { text += "\(id),\(set)\n" }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw MoosicError.internalFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
