import Foundation
import MoosicCore
import MoosicFeatures
import MoosicSpotify
import MoosicStore

/// `moosic library sync`: the user's library copied into the store (from the fixture library
/// offline), then, online, the audio features of the library tracks the catalog lacks from the
/// features service — the same wiring as the recommend pipeline's (`StandardPipeline`).
public enum SyncLibrary {
    public struct Report: Sendable {
        public var sync: SyncReport
        /// The features service's backfill; nil offline or when the service is off. Its faults are
        /// its notes, never the run's failure (the service is best-effort).
        public var features: FeatureBackfillReport?
    }

    public static func run(user: String, offline: Bool, installation: Installation,
                           progress: ProgressReporter? = nil) async throws -> Report {
        let session = try StandardPipeline.session(user: user, offline: offline, installation: installation)
        let store = try Store(environment: installation.environment)
        var sync = LibrarySync(session: session, repository: store, now: try installation.clock)
        if let progress { sync.progress = { status in progress.show(status) } }
        let report = try await ProgressReporter.finishing(progress) { try await sync.sync(user: user) }
        guard !offline, let backfill = StandardPipeline.featureBackfill(StoredLibrary(listeners: store), store: store,
                                                                        configuration: try installation.features) else {
            return Report(sync: report, features: nil)
        }
        try StandardPipeline.importShippedCatalogIfEmpty(store: store, environment: installation.environment)
        return Report(sync: report, features: try await backfill.backfill(user: user))
    }
}
