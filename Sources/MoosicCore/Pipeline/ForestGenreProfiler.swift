import Foundation
import MoosicML

/// The pipeline's genre stage: the genre random forest over the catalog's audio features.
public struct ForestGenreProfiler: GenreProfiling {
    public let model: RandomForest
    public let catalog: any CatalogLookup & Sendable

    public init(model: RandomForest, catalog: any CatalogLookup & Sendable) {
        self.model = model
        self.catalog = catalog
    }

    public func profile(of library: [LibraryTrack]) throws -> GenreProfile {
        try GenreProfile.make(library: library, catalog: catalog, model: model)
    }
}
