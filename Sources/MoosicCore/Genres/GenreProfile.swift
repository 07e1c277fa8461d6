import Foundation
import MoosicML

/// Finds a library track's audio features in a catalog.
public protocol CatalogLookup {
    func features(for track: LibraryTrack) throws -> AudioFeatures?
}

public struct GenreShare: Sendable, Equatable, Codable {
    public var genre: String
    public var share: Double
    /// Where the share came from: its parts by kind of evidence (they sum to `share`).
    public var sources: Sources

    /// The parts of a genre's share by kind of evidence, so a listener can see why a genre is there.
    public struct Sources: Sendable, Equatable, Codable {
        /// From the catalog's genre labels of library tracks the catalog has.
        public var labels: Double
        /// From the catalog genres of the artists of tracks the catalog does not label.
        public var artists: Double
        /// From the genre forest, for tracks with audio features and nothing better.
        public var forest: Double

        public init(labels: Double = 0, artists: Double = 0, forest: Double = 0) {
            self.labels = labels
            self.artists = artists
            self.forest = forest
        }
    }

    public init(genre: String, share: Double, sources: Sources? = nil) {
        self.genre = genre
        self.share = share
        self.sources = sources ?? Sources()
    }
}

/// How the profile weighs each kind of evidence. Measured on real listeners, not guessed
/// (`moosic eval listeners`, docs/genre-profile.md).
public struct GenreWeighting: Sendable, Equatable, Codable {
    /// A track the catalog labels: its labels, shared equally.
    public var labelled: Double
    /// A track the catalog does not label whose artists it knows: its artists' catalog genres, in
    /// proportion. It weighs the same whether or not the track also has audio features: features
    /// do not make an artist's genres less true.
    public var byArtist: Double
    /// A track with audio features and neither a label nor a known artist: the forest's
    /// probabilities, as much as this weight says (the forest is right about a third of the time
    /// over 114 genres, so it counts for less than a label).
    public var forest: Double
    /// The power the forest's probabilities are raised to before they are scaled to sum to 1 again
    /// (1: as the forest gives them; above 1 sharper, below 1 flatter).
    public var sharpness: Double
    /// Whether the forest's probabilities are corrected for the listener's own genre mix instead of
    /// the balanced catalog it learned from (a uniform prior over 114 genres): the mix is
    /// estimated by EM (Saerens, Latinne and Decaestecker 2002) starting from, and anchored by, what
    /// the labels and artists already say.
    public var listenerPrior: Bool
    /// With the listener's prior: the share of it spread evenly over every genre, so that the forest
    /// can still name a genre the labels and artists missed.
    public var priorSmoothing: Double
    /// Whether a genre also counts for the broader genres its name contains (`GenreFamilies`:
    /// alt-rock is rock too, indie-pop is indie and pop), shared equally among them.
    public var families: Bool

    public init(labelled: Double = 1, byArtist: Double = 1, forest: Double = 1, sharpness: Double = 1,
                listenerPrior: Bool = false, priorSmoothing: Double = 0.1, families: Bool = true) {
        self.labelled = labelled
        self.byArtist = byArtist
        self.forest = forest
        self.sharpness = sharpness
        self.listenerPrior = listenerPrior
        self.priorSmoothing = priorSmoothing
        self.families = families
    }

    /// The weighting the profiler uses: the best of `moosic eval listeners`' grid on the
    /// development listeners (docs/genre-profile.md).
    public static let standard = GenreWeighting(labelled: 1, byArtist: 1, forest: 0.5, sharpness: 1, listenerPrior: false,
                                                families: true)

    /// Every track the same, the forest's probabilities as they come, each genre on its own: the
    /// mean genre probability.
    public static let forestMean = GenreWeighting(labelled: 1, byArtist: 1, forest: 1, sharpness: 1, listenerPrior: false,
                                                  families: false)

    enum CodingKeys: String, CodingKey {
        case labelled
        case byArtist = "by_artist"
        case forest, sharpness
        case listenerPrior = "listener_prior"
        case priorSmoothing = "prior_smoothing"
        case families
    }
}

/// A user's genre profile: each library track counted once by the best evidence it has — the
/// catalog's genre labels, else the catalog genres of its artists, else the genre forest's
/// probabilities from its audio features (from the catalog or the features service) — weighted by
/// `GenreWeighting`.
public struct GenreProfile: Sendable, Equatable {
    public struct Coverage: Sendable, Equatable, Codable {
        public var libraryTracks: Int
        /// Tracks with audio features (from the catalog or the feature cache), whatever counted them.
        public var withFeatures: Int
        /// Counted by the catalog's genre labels.
        public var labelled: Int
        /// Counted by the forest's probabilities (features, no label, no artist the catalog knows).
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

    /// Whether the forest counts `item`: it has audio features and nothing better (no catalog
    /// label, no artist the catalog knows).
    public static func needsForest(_ item: GenreEvidence) -> Bool {
        item.features != nil && item.labels.isEmpty && item.artistGenres.isEmpty
    }

    /// The profile of `library` (distinct tracks) with features from `catalog` alone, by `model`
    /// (no labels, no artists: every track with features is inferred): the mean genre probability.
    public static func make(library: [LibraryTrack], catalog: some CatalogLookup, model: RandomForest) throws -> GenreProfile {
        let evidence = try library.map { track in
            GenreEvidence(features: try catalog.features(for: track), featuresSource: .catalog)
        }
        return make(evidence: evidence, model: model, weighting: .forestMean)
    }

    /// The profile from each library track's evidence, the forest run here for the tracks it counts.
    public static func make(evidence: [GenreEvidence], model: RandomForest, weighting: GenreWeighting = .standard) -> GenreProfile {
        let counted = evidence.indices.filter { needsForest(evidence[$0]) }
        let rows = counted.flatMap { GenreFeatures.vector(evidence[$0].features!) }
        let flat = counted.isEmpty ? [] : model.probabilities(rows: rows)
        let c = model.classes.count
        var probabilities: [Int: [Double]] = [:]
        for (n, i) in counted.enumerated() { probabilities[i] = Array(flat[n * c..<(n + 1) * c]) }
        var profile = make(evidence: evidence, forestProbabilities: probabilities, classes: model.classes, weighting: weighting)
        profile.featureImportances = importances(names: model.featureNames, values: model.featureImportances)
        return profile
    }

    /// The forest's importances, largest first.
    public static func importances(names: [String], values: [Double]) -> [FeatureImportance] {
        zip(names, values).map { FeatureImportance(feature: $0, importance: $1) }.sorted { $0.importance > $1.importance }
    }

    /// The profile from each library track's evidence (see `GenreEvidence`) and the forest's
    /// probabilities over `classes` for the tracks it counts (`needsForest`, keyed by index in
    /// `evidence`; a track the forest counts without probabilities here is not counted).
    public static func make(evidence: [GenreEvidence], forestProbabilities: [Int: [Double]], classes: [String],
                            weighting: GenreWeighting = .standard) -> GenreProfile {
        var labels: [String: Double] = [:], artists: [String: Double] = [:]
        var knownWeight = 0.0
        var coverage = Coverage(libraryTracks: evidence.count, withFeatures: 0, labelled: 0, inferred: 0, byArtist: 0, none: 0)
        var profile = GenreProfile(shares: [], coverage: coverage)
        var forestRows: [[Double]] = []
        for (i, item) in evidence.enumerated() {
            if item.features != nil {
                coverage.withFeatures += 1
                if item.featuresSource == .service { profile.featuresFromService += 1 } else { profile.featuresFromCatalog += 1 }
            }
            if !item.labels.isEmpty {
                coverage.labelled += 1
                let each = weighting.labelled / Double(item.labels.count)
                for label in item.labels { labels[label, default: 0] += each }
                knownWeight += weighting.labelled
            } else if !item.artistGenres.isEmpty {
                coverage.byArtist += 1
                let total = Double(item.artistGenres.values.reduce(0, +))
                // In genre order: a Dictionary's order changes from process to process, and with it the
                // last digits of the sums and so the order of nearly tied genres.
                for (genre, count) in item.artistGenres.sorted(by: { $0.key < $1.key }) {
                    artists[genre, default: 0] += weighting.byArtist * Double(count) / total
                }
                knownWeight += weighting.byArtist
            } else if needsForest(item), let row = forestProbabilities[i], row.count == classes.count {
                let sharpened = weighting.sharpness == 1 ? row : row.map { pow($0, weighting.sharpness) }
                let total = sharpened.reduce(0, +)
                guard total > 0 else { coverage.none += 1; continue }
                coverage.inferred += 1
                forestRows.append(sharpened.map { $0 / total })
            } else {
                coverage.none += 1
            }
        }
        var forest = forestShares(rows: forestRows, classes: classes, labels: labels, artists: artists,
                                  knownWeight: knownWeight, weighting: weighting)
        let totalWeight = knownWeight + weighting.forest * Double(forestRows.count)
        var genres = Set(classes)
        genres.formUnion(labels.keys)
        genres.formUnion(artists.keys)
        if weighting.families {
            let families = GenreFamilies(genres: genres)
            labels = families.spread(labels)
            artists = families.spread(artists)
            forest = families.spread(forest)
        }
        profile.shares = genres.map { genre in
            let scale = totalWeight > 0 ? 1 / totalWeight : 0
            let sources = GenreShare.Sources(labels: (labels[genre] ?? 0) * scale, artists: (artists[genre] ?? 0) * scale,
                                             forest: weighting.forest * (forest[genre] ?? 0) * scale)
            return GenreShare(genre: genre, share: sources.labels + sources.artists + sources.forest, sources: sources)
        }
        .sorted { $0.share != $1.share ? $0.share > $1.share : $0.genre < $1.genre }
        profile.coverage = coverage
        return profile
    }

    /// The forest's tracks as genre counts (they sum to the number of rows). Without the listener's
    /// prior: the probabilities as they are. With it: EM under label shift — each track's
    /// probabilities reweighted by the listener's current genre mix (the forest learned a uniform
    /// one) and the mix re-estimated from labels, artists and the reweighted tracks until it settles.
    static func forestShares(rows: [[Double]], classes: [String], labels: [String: Double], artists: [String: Double],
                             knownWeight: Double, weighting: GenreWeighting) -> [String: Double] {
        let c = classes.count
        guard !rows.isEmpty, c > 0 else { return [:] }
        var sums = [Double](repeating: 0, count: c)
        guard weighting.listenerPrior else {
            for row in rows { for k in 0..<c { sums[k] += row[k] } }
            return Dictionary(uniqueKeysWithValues: zip(classes, sums))
        }
        let known = classes.map { (labels[$0] ?? 0) + (artists[$0] ?? 0) }
        let forestWeight = weighting.forest * Double(rows.count)
        // A little of every genre stays possible, so the forest can still name one the rest missed.
        let smoothing = weighting.priorSmoothing
        func mix(_ forestCounts: [Double]?) -> [Double] {
            var prior = [Double](repeating: 0, count: c)
            let total = knownWeight + (forestCounts == nil ? 0 : forestWeight)
            for k in 0..<c {
                let evidence = known[k] + (forestCounts.map { weighting.forest * $0[k] } ?? 0)
                prior[k] = total > 0 ? evidence / total : 1 / Double(c)
            }
            return prior.map { (1 - smoothing) * $0 + smoothing / Double(c) }
        }
        var prior = mix(knownWeight > 0 ? nil : [Double](repeating: Double(rows.count) / Double(c), count: c))
        for _ in 0..<50 {
            var next = [Double](repeating: 0, count: c)
            for row in rows {
                var total = 0.0
                for k in 0..<c { total += row[k] * prior[k] }
                guard total > 0 else { continue }
                for k in 0..<c { next[k] += row[k] * prior[k] / total }
            }
            let settled = zip(next, sums).allSatisfy { abs($0 - $1) < 1e-6 * Double(rows.count) }
            sums = next
            if settled { break }
            prior = mix(sums)
        }
        return Dictionary(uniqueKeysWithValues: zip(classes, sums))
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
        // The shares are already in order, and one divisor keeps it (ties included).
        let kept = shares.filter { genres.contains($0.genre) && $0.share > 0 }
        let total = kept.reduce(0) { $0 + $1.share }
        var restricted = self
        restricted.shares = kept.map { s in
            GenreShare(genre: s.genre, share: s.share / total,
                       sources: .init(labels: s.sources.labels / total, artists: s.sources.artists / total, forest: s.sources.forest / total))
        }
        return restricted
    }

    /// The genres with a share, as a distribution (for divergences from a truth).
    public var distribution: [String: Double] {
        Dictionary(shares.filter { $0.share > 0 }.map { ($0.genre, $0.share) }) { a, _ in a }
    }

    /// The share of `genre` (0 for a genre not in the profile).
    public func share(of genre: String) -> Double { shares.first { $0.genre == genre }?.share ?? 0 }
}

/// The broader genres a genre's name contains: among the genres given, those whose words are all
/// words of its name (alt-rock → rock; indie-pop → indie, pop; death-metal → metal; punk-rock → punk,
/// rock). The catalog's 114 genres nest this way, and its fine genres cannot be told apart by audio
/// or by artist as well as their families can; Spotify's own genre tags nest the same way ("indie
/// rock", "latin rock"), which is how listeners' genres read.
public struct GenreFamilies: Sendable {
    /// Each genre's broader genres (none for most).
    public let parents: [String: [String]]

    public init(genres: Set<String>) {
        let words = Dictionary(uniqueKeysWithValues: genres.map { ($0, Set($0.split(separator: "-").map(String.init))) })
        var parents: [String: [String]] = [:]
        for (genre, own) in words {
            let broader = words.filter { $0.key != genre && !$0.value.isEmpty && $0.value.isStrictSubset(of: own) }.map(\.key).sorted()
            if !broader.isEmpty { parents[genre] = broader }
        }
        self.parents = parents
    }

    /// Each genre's count shared equally between it and its broader genres (the total is unchanged).
    public func spread(_ counts: [String: Double]) -> [String: Double] {
        var out: [String: Double] = [:]
        // In genre order: the sums' last digits must not depend on a Dictionary's order.
        for (genre, count) in counts.sorted(by: { $0.key < $1.key }) {
            guard let broader = parents[genre] else {
                out[genre, default: 0] += count
                continue
            }
            let each = count / Double(broader.count + 1)
            out[genre, default: 0] += each
            for parent in broader { out[parent, default: 0] += each }
        }
        return out
    }
}
