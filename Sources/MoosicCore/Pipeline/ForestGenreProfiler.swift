import Foundation
import MoosicML

/// The pipeline's genre stage: each library track counted once by its best evidence — the
/// catalog's genre labels, else its artists' catalog genres, else the genre random forest over its
/// audio features (from the catalog or the features service's cache) — as `GenreProfile.make`
/// weighs them. The forest's probabilities are kept in `cache` under the forest's version, so a
/// run whose library did not change never decodes the forest.
public struct ForestGenreProfiler: GenreProfiling {
    public let forest: GenreForest
    public let evidence: any GenreEvidenceLookup
    public let cache: (any GenreProbabilityCache)?
    public let weighting: GenreWeighting

    public init(forest: GenreForest, evidence: any GenreEvidenceLookup, cache: (any GenreProbabilityCache)? = nil,
                weighting: GenreWeighting = .standard) {
        self.forest = forest
        self.evidence = evidence
        self.cache = cache
        self.weighting = weighting
    }

    public func profile(of library: [LibraryTrack]) throws -> GenreProfile {
        let items = try evidence.genreEvidence(for: library)
        let probabilities = try forestProbabilities(library: library, evidence: items)
        var profile = GenreProfile.make(evidence: items, forestProbabilities: probabilities, classes: forest.classes,
                                        weighting: weighting)
        profile.featureImportances = GenreProfile.importances(names: forest.featureNames, values: forest.featureImportances)
        return profile
    }

    /// The forest's probabilities for the tracks it counts, keyed by index: from the cache where it
    /// has them for this forest, the rest computed once and cached.
    func forestProbabilities(library: [LibraryTrack], evidence items: [GenreEvidence]) throws -> [Int: [Double]] {
        let wanted = items.indices.filter { GenreProfile.needsForest(items[$0]) }
        guard !wanted.isEmpty else { return [:] }
        let cached = try cache?.cachedGenreProbabilities(trackIDs: wanted.map { library[$0].id }, version: forest.version) ?? [:]
        var result: [Int: [Double]] = [:]
        var missing: [Int] = []
        for i in wanted {
            if let row = cached[library[i].id], row.count == forest.classes.count { result[i] = row } else { missing.append(i) }
        }
        guard !missing.isEmpty else { return result }
        let computed = try forest.probabilities(missing.map { items[$0].features! })
        var fresh: [String: [Double]] = [:]
        for (i, row) in zip(missing, computed) {
            result[i] = row
            fresh[library[i].id] = row
        }
        try cache?.recordGenreProbabilities(fresh, version: forest.version)
        return result
    }
}
