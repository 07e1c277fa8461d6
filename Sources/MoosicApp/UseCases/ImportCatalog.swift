import Foundation
import MoosicCore
import MoosicStore

/// `moosic catalog import`: a catalog CSV (plain, .xz or .gz) into the store, its rows scored by the
/// song-emotion model in use as they are written, then the rescoring pass that brings every stored
/// score in step with that model.
public enum ImportCatalog {
    public struct Report: Sendable {
        public var catalog: CatalogImportReport
        /// The rescoring pass; nil when no model is in use or it failed (`emotionProblem`).
        public var emotion: EmotionRefreshReport?
        /// Why the scores were not brought in step: a broken model does not undo the import, the
        /// scores wait for a good one.
        public var emotionProblem: MoosicError?

        /// Tracks scored in all: while importing and by the rescoring pass.
        public var emotionScored: Int? { emotion.map { $0.scored + catalog.emotionScored } }
    }

    public static func run(file url: URL, skipInvalid: Bool, installation: Installation,
                           progress: ProgressReporter? = nil) throws -> Report {
        let environment = installation.environment
        let store = try Store(environment: environment)
        let catalog = try ProgressReporter.finishing(progress) {
            // Scored as they are written; a broken model scores nothing here and is reported by the pass below.
            let model = try? SongEmotion.installedModel(environment)
            // The catalog moosic ships is imported as the first run imports it: its one row without
            // artist or title (the dataset's line 59223) left out and listed, not a refusal.
            let skip = skipInvalid || ShippedCatalog.isShipped(url, environment: environment)
            return try CatalogImporter.importRecords(from: CompressedFile.open(url), name: url.lastPathComponent, into: store,
                                                     skipInvalid: skip, emotionModel: model ?? nil, progress: progress?.update)
        }
        // Scores are kept in the store so ranking never runs the network.
        do {
            return Report(catalog: catalog, emotion: try SongEmotion.refreshScores(in: store, environment: environment))
        } catch let error as MoosicError {
            return Report(catalog: catalog, emotion: nil, emotionProblem: error)
        }
    }
}
