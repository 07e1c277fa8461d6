import Foundation
import MoosicML

/// The pipeline's genre stage: each library track counted once by its best evidence — the
/// catalog's genre labels, else the genre random forest over its audio features (from the catalog
/// or the features service's cache), else its artists' catalog genres (GenreProfile.make).
public struct ForestGenreProfiler: GenreProfiling {
    public let model: RandomForest
    public let evidence: any GenreEvidenceLookup
    public let weighting: GenreWeighting

    public init(model: RandomForest, evidence: any GenreEvidenceLookup, weighting: GenreWeighting = .standard) {
        self.model = model
        self.evidence = evidence
        self.weighting = weighting
    }

    public func profile(of library: [LibraryTrack]) throws -> GenreProfile {
        GenreProfile.make(evidence: try evidence.genreEvidence(for: library), model: model, weighting: weighting)
    }

}
