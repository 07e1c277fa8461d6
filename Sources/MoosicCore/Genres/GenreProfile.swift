import Foundation
import MoosicML

/// Finds a library track's audio features in a catalog.
public protocol CatalogLookup {
    func features(for track: LibraryTrack) throws -> AudioFeatures?
}

public struct GenreShare: Sendable, Equatable, Codable {
    public var genre: String
    public var share: Double

    public init(genre: String, share: Double) {
        self.genre = genre
        self.share = share
    }
}

/// How much one library track counts toward the profile, by the best evidence it has, and how
/// sharp the forest's probabilities are made. Measured, not guessed: `moosic eval profile`
/// (Scripts/eval-profile, README "Genre profile from all the evidence").
public struct GenreWeighting: Sendable, Equatable, Codable {
    /// A track the catalog labels: its labels, shared equally.
    public var labelled: Double
    /// A track with audio features but no label: the forest's probabilities, raised to
    /// `sharpness` and scaled to sum to 1 again (1: as the forest gives them; large: its top genre).
    public var inferred: Double
    public var sharpness: Double
    /// A track with neither: the catalog genres of its artists, in proportion.
    public var byArtist: Double
    /// For an inferred track whose artists the catalog also knows: the share of its one unit that
    /// goes to its artists' genres instead of the forest's probabilities (0: the forest alone).
    public var artistMix: Double

    public init(labelled: Double = 1, inferred: Double = 1, sharpness: Double = 1, byArtist: Double = 1, artistMix: Double = 0) {
        self.labelled = labelled
        self.inferred = inferred
        self.sharpness = sharpness
        self.byArtist = byArtist
        self.artistMix = artistMix
    }

    /// The weighting the profiler uses, the best of `moosic eval profile`'s grid (README, "Coverage and
    /// recovery figures"): the forest's probabilities alone are weak evidence over 114 genres, so an
    /// inferred track weighs a tenth of a labelled one, its probabilities are sharpened (power 4) and its
    /// artists' catalog genres, where the catalog knows them, take its place.
    public static let standard = GenreWeighting(labelled: 1, inferred: 0.1, sharpness: 4, byArtist: 1, artistMix: 1)

    /// Every track the same, the forest's probabilities as they come: the profile before issue 12,
    /// the mean genre probability over the tracks with features.
    public static let forestMean = GenreWeighting(labelled: 1, inferred: 1, sharpness: 1, byArtist: 1, artistMix: 0)

    enum CodingKeys: String, CodingKey {
        case labelled, inferred, sharpness
        case byArtist = "by_artist"
        case artistMix = "artist_mix"
    }
}

/// A user's genre profile: each library track counted once by the best evidence it has — the
/// catalog's genre labels, else the genre forest's probabilities from its audio features (from the
/// catalog or the features service), else the catalog genres of its artists — weighted by
/// `GenreWeighting`.
public struct GenreProfile: Sendable, Equatable {
    public struct Coverage: Sendable, Equatable, Codable {
        public var libraryTracks: Int
        /// Tracks with audio features (from the catalog or the feature cache), whatever counted them.
        public var withFeatures: Int
        /// Counted by the catalog's genre labels.
        public var labelled: Int
        /// Counted by the forest's probabilities (features, no label).
        public var inferred: Int
        /// Counted by their artists' catalog genres.
        public var byArtist: Int
        /// Not counted: nothing known.
        public var none: Int

        public init(libraryTracks: Int, withFeatures: Int, labelled: Int = 0, inferred: Int? = nil, byArtist: Int = 0,
                    none: Int? = nil) {
            self.libraryTracks = libraryTracks
            self.withFeatures = withFeatures
            self.labelled = labelled
            self.inferred = inferred ?? max(0, withFeatures - labelled)
            self.byArtist = byArtist
            self.none = none ?? max(0, libraryTracks - labelled - (inferred ?? max(0, withFeatures - labelled)) - byArtist)
        }

        /// Tracks that counted toward the profile.
        public var counted: Int { labelled + inferred + byArtist }

        enum CodingKeys: String, CodingKey {
            case libraryTracks = "library_tracks"
            case withFeatures = "with_features"
            case labelled, inferred
            case byArtist = "by_artist"
            case none
        }
    }

    /// Every genre of the model (and every catalog label), most likely first; the shares sum to 1
    /// (all 0 without coverage).
    public var shares: [GenreShare]
    public var coverage: Coverage
    /// Library tracks with features from the catalog and from the features service.
    public var featuresFromCatalog = 0
    public var featuresFromService = 0
    /// The forest's feature importances (mean decrease in Gini impurity), largest first.
    public var featureImportances: [FeatureImportance] = []

    public struct FeatureImportance: Sendable, Equatable, Codable {
        public var feature: String
        public var importance: Double

        public init(feature: String, importance: Double) {
            self.feature = feature
            self.importance = importance
        }
    }

    /// The profile of `library` (distinct tracks) with features from `catalog` alone, by `model`
    /// (no labels, no artists: every track with features is inferred): the mean genre probability.
    public static func make(library: [LibraryTrack], catalog: some CatalogLookup, model: RandomForest) throws -> GenreProfile {
        let evidence = try library.map { track in
            GenreEvidence(features: try catalog.features(for: track), featuresSource: .catalog)
        }
        return make(evidence: evidence, model: model, weighting: .forestMean)
    }

    /// The profile from each library track's evidence (see `GenreEvidence`).
    public static func make(evidence: [GenreEvidence], model: RandomForest, weighting: GenreWeighting = .standard) -> GenreProfile {
        var sums: [String: Double] = Dictionary(uniqueKeysWithValues: model.classes.map { ($0, 0.0) })
        var totalWeight = 0.0
        var coverage = Coverage(libraryTracks: evidence.count, withFeatures: 0, labelled: 0, inferred: 0, byArtist: 0, none: 0)
        var profile = GenreProfile(shares: [], coverage: coverage)
        var inferredRows: [Float] = []
        var inferredArtists: [[String: Int]] = []
        for item in evidence {
            if item.features != nil {
                coverage.withFeatures += 1
                if item.featuresSource == .service { profile.featuresFromService += 1 } else { profile.featuresFromCatalog += 1 }
            }
            if !item.labels.isEmpty {
                coverage.labelled += 1
                let each = weighting.labelled / Double(item.labels.count)
                for label in item.labels { sums[label, default: 0] += each }
                totalWeight += weighting.labelled
            } else if let features = item.features {
                coverage.inferred += 1
                inferredRows.append(contentsOf: GenreFeatures.vector(features))
                inferredArtists.append(item.artistGenres)
            } else if !item.artistGenres.isEmpty {
                coverage.byArtist += 1
                let total = Double(item.artistGenres.values.reduce(0, +))
                // In genre order: a Dictionary's order changes from process to process, and with it the
                // last digits of the sums and so the order of nearly tied genres.
                for (genre, count) in item.artistGenres.sorted(by: { $0.key < $1.key }) {
                    sums[genre, default: 0] += weighting.byArtist * Double(count) / total
                }
                totalWeight += weighting.byArtist
            } else {
                coverage.none += 1
            }
        }
        if coverage.inferred > 0 {
            let c = model.classes.count
            let probabilities = model.probabilities(rows: inferredRows)
            for i in 0..<coverage.inferred {
                let row = (0..<c).map { k in weighting.sharpness == 1 ? probabilities[i * c + k] : pow(probabilities[i * c + k], weighting.sharpness) }
                let total = row.reduce(0, +)
                guard total > 0 else { continue }
                let artists = inferredArtists[i]
                let mix = artists.isEmpty ? 0 : weighting.artistMix
                for k in 0..<c { sums[model.classes[k], default: 0] += weighting.inferred * (1 - mix) * row[k] / total }
                if mix > 0 {
                    let artistTotal = Double(artists.values.reduce(0, +))
                    for (genre, count) in artists.sorted(by: { $0.key < $1.key }) {
                        sums[genre, default: 0] += weighting.inferred * mix * Double(count) / artistTotal
                    }
                }
                totalWeight += weighting.inferred
            }
        }
        profile.shares = sums.map { GenreShare(genre: $0.key, share: totalWeight == 0 ? 0 : $0.value / totalWeight) }
            .sorted { $0.share != $1.share ? $0.share > $1.share : $0.genre < $1.genre }
        profile.coverage = coverage
        profile.featureImportances = zip(model.featureNames, model.featureImportances)
            .map { FeatureImportance(feature: $0, importance: $1) }.sorted { $0.importance > $1.importance }
        return profile
    }
}

extension GenreProfile {
    /// A profile from weights (a listener's shares of listening, as the ranker and its tests state
    /// them): genres without weight are left out, the rest scaled to sum to 1, most likely first.
    public init(weights: [(genre: String, share: Double)],
                        coverage: Coverage = Coverage(libraryTracks: 0, withFeatures: 0)) {
        let kept = weights.filter { $0.share > 0 }
        let total = kept.reduce(0) { $0 + $1.share }
        shares = kept.map { GenreShare(genre: $0.genre, share: $0.share / total) }
            .sorted { $0.share != $1.share ? $0.share > $1.share : $0.genre < $1.genre }
        self.coverage = coverage
    }

    /// The profile over `genres` only (e.g. the genres the local catalog has songs of): the genres
    /// with a share, scaled to sum to 1 again; unchanged coverage.
    public func restricted(to genres: Set<String>) -> GenreProfile {
        var restricted = GenreProfile(weights: shares.filter { genres.contains($0.genre) }.map { ($0.genre, $0.share) }, coverage: coverage)
        restricted.featuresFromCatalog = featuresFromCatalog
        restricted.featuresFromService = featuresFromService
        restricted.featureImportances = featureImportances
        return restricted
    }

    /// The share of `genre` (0 for a genre not in the profile).
    public func share(of genre: String) -> Double { shares.first { $0.genre == genre }?.share ?? 0 }
}
