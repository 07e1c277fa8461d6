import Foundation

/// The pipeline's genre stage: the shipped random forest over the catalog's audio features.
public struct ForestGenreProfiler: GenreProfiling {
    public let model: RandomForest

    public init(model: RandomForest) {
        self.model = model
    }

    public init(environment: MoosicEnvironment) throws {
        model = try RandomForest.loadGenreModel(from: environment.modelURL(GenreTraining.modelFileName))
    }

    public func profile(of library: [LibraryTrack], store: Store) throws -> GenreProfile {
        try GenreProfile.make(library: library, catalog: StoreCatalogLookup(store: store), model: model)
    }
}
