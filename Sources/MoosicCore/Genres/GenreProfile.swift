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

/// A user's genre profile: the mean genre probability over their library tracks with features.
public struct GenreProfile: Sendable, Equatable {
    public struct Coverage: Sendable, Equatable, Codable {
        public var libraryTracks: Int
        public var withFeatures: Int

        public init(libraryTracks: Int, withFeatures: Int) {
            self.libraryTracks = libraryTracks
            self.withFeatures = withFeatures
        }

        enum CodingKeys: String, CodingKey {
            case libraryTracks = "library_tracks"
            case withFeatures = "with_features"
        }
    }

    /// Every genre of the model, most likely first; the shares sum to 1 (all 0 without coverage).
    public var shares: [GenreShare]
    public var coverage: Coverage

    /// The profile of `library` (distinct tracks) with features from `catalog`, by `model`.
    public static func make(library: [LibraryTrack], catalog: some CatalogLookup, model: RandomForest) throws -> GenreProfile {
        var rows: [Float] = []
        var found = 0
        for track in library {
            guard let features = try catalog.features(for: track) else { continue }
            rows.append(contentsOf: GenreFeatures.vector(features))
            found += 1
        }
        let c = model.classes.count
        var sums = [Double](repeating: 0, count: c)
        if found > 0 {
            let probabilities = model.probabilities(rows: rows)
            for i in 0..<found {
                for k in 0..<c { sums[k] += probabilities[i * c + k] }
            }
        }
        let shares = zip(model.classes, sums)
            .map { GenreShare(genre: $0, share: found == 0 ? 0 : $1 / Double(found)) }
            .sorted { $0.share != $1.share ? $0.share > $1.share : $0.genre < $1.genre }
        return GenreProfile(shares: shares, coverage: Coverage(libraryTracks: library.count, withFeatures: found))
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
        GenreProfile(weights: shares.filter { genres.contains($0.genre) }.map { ($0.genre, $0.share) }, coverage: coverage)
    }

    /// The share of `genre` (0 for a genre not in the profile).
    public func share(of genre: String) -> Double { shares.first { $0.genre == genre }?.share ?? 0 }
}
