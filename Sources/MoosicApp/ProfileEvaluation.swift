import Foundation
import MoosicCore
import MoosicML
import MoosicStore

/// `moosic eval profile`: how well the genre profile recovers synthetic listeners' genres when most
/// of their library is outside the catalog — a development proxy for real listeners (issue 12).
///
/// Each listener likes 3–6 genres (random shares) and has 200–300 tracks drawn from those genres
/// among the genre forest's held-out tracks (fold 0 of 10 by track id, seed 42: the forest never saw
/// them). `hidden` of them (default 80 %) are taken out of the catalog the run uses and enter the
/// library under another Spotify id with a word added to the title, so neither the id nor artist +
/// title finds them; their audio features go into the store's feature cache, as the features service
/// would put them there. The truth is the share of each genre among the listener's tracks.
public enum ProfileEvaluation {
    public struct Settings: Sendable {
        public var listeners = 40
        public var hidden = 0.8
        /// Of the hidden tracks, the share whose artists the catalog does not know either (their
        /// names are changed): real libraries are full of artists no catalog has.
        public var unknownArtists = 0.0
        /// Unknown artists only in each listener's first genre (`unknownArtists` of its hidden
        /// tracks), not at random: the catalog then misses one of their genres, as it misses a real
        /// folk listener's folk and keeps the world-music outliers.
        public var unknownInFirstGenre = false
        public var seed: UInt64 = 12

        public init(listeners: Int = 40, hidden: Double = 0.8, unknownArtists: Double = 0, unknownInFirstGenre: Bool = false,
                    seed: UInt64 = 12) {
            self.listeners = listeners
            self.hidden = hidden
            self.unknownArtists = unknownArtists
            self.unknownInFirstGenre = unknownInFirstGenre
            self.seed = seed
        }
    }

    /// One way of building the profile, averaged over the listeners.
    public struct Row: Sendable, Encodable {
        public var mode: String
        public var weighting: GenreWeighting
        /// |top 5 of the profile ∩ the listener's genres| / min(5, number of their genres).
        public var top5Overlap: Double
        /// Jensen–Shannon divergence (bits) between the profile and the listener's true shares.
        public var jsd: Double
        /// Mean share of library tracks counted by each source.
        public var labelled: Double
        public var inferred: Double
        public var byArtist: Double
        public var none: Double
    }

    public struct Report: Sendable, Encodable {
        public var listeners: Int
        public var meanTracks: Double
        public var hiddenShare: Double
        public var unknownArtistShare: Double
        public var unknownInFirstGenre: Bool
        public var rows: [Row]
    }

    /// The evidence transformations compared (the weighting grid runs on "all evidence").
    enum Mode: String, CaseIterable {
        /// The profiler before issue 12: the forest over tracks the catalog has, nothing else.
        case catalogFeaturesOnly = "catalog features only (before)"
        /// Labels, catalog features and the artist fallback: MOOSIC_FEATURES_URL empty.
        case withoutService = "labels + artist, no features service"
        case allEvidence = "labels + features service + artist"
        case artistOnly = "artist fallback alone"

        func apply(_ e: GenreEvidence) -> GenreEvidence {
            switch self {
            case .catalogFeaturesOnly:
                return GenreEvidence(features: e.featuresSource == .catalog ? e.features : nil, featuresSource: .catalog)
            case .withoutService:
                return e.featuresSource == .service ? GenreEvidence(labels: e.labels, artistGenres: e.artistGenres) : e
            case .allEvidence:
                return e
            case .artistOnly:
                return GenreEvidence(artistGenres: e.artistGenres)
            }
        }
    }

    public static func run(catalog rows: [CatalogRow], model: RandomForest, settings: Settings,
                           weightings: [GenreWeighting]) throws -> Report {
        var random = SeededRandom(seed: settings.seed)
        // Held-out tracks by the genre they are listed under (first listing of an id only).
        var byGenre: [String: [CatalogRow]] = [:]
        var seen = Set<String>()
        for row in rows where seen.insert(row.track.id).inserted
            && CrossValidation.fold(of: row.track.id.utf8, folds: 10, seed: 42) == 0 && model.classes.contains(row.genre) {
            byGenre[row.genre, default: []].append(row)
        }
        let genres = byGenre.keys.sorted()
        struct Listener { var truth: [String: Double]; var library: [LibraryTrack] }
        // Whether a track is hidden (and under which id, title and artists it is in libraries) is
        // decided once per track, so that a track two listeners share is hidden for both.
        struct Disguise { var id: String; var name: String; var artists: String }
        var disguises: [String: Disguise] = [:]
        var hiddenFeatures: [String: AudioFeatures] = [:]
        var listeners: [Listener] = []
        for _ in 0..<settings.listeners {
            var pool = genres
            random.shuffle(&pool)
            let liked = Array(pool.prefix(3 + random.below(4)))
            let weights = liked.map { _ in 0.2 + Double(random.unitFloat()) }
            let size = 200 + random.below(101)
            var counts: [String: Double] = [:]
            var library: [LibraryTrack] = []
            for (genre, weight) in zip(liked, weights) {
                var candidates = byGenre[genre]!
                random.shuffle(&candidates)
                let n = min(candidates.count, Int((Double(size) * weight / weights.reduce(0, +)).rounded()))
                for row in candidates.prefix(n) {
                    counts[genre, default: 0] += 1
                    let t = row.track
                    let hidden = CrossValidation.fold(of: ("hidden:" + t.id).utf8, folds: 1000, seed: settings.seed)
                        < Int(settings.hidden * 1000)
                    guard hidden else {
                        library.append(LibraryTrack(id: t.id, name: t.name, artists: t.artists))
                        continue
                    }
                    let disguise = disguises[t.id] ?? {
                        let unknown = (!settings.unknownInFirstGenre || genre == liked[0])
                            && Double(random.unitFloat()) < settings.unknownArtists
                        let artists = unknown ? t.artists.split(separator: ";").map { "Unsigned " + String($0.reversed()) }.joined(separator: ";")
                                              : t.artists
                        let made = Disguise(id: randomSpotifyID(&random), name: "Redux " + t.name, artists: artists)
                        disguises[t.id] = made
                        hiddenFeatures[made.id] = t.features
                        return made
                    }()
                    library.append(LibraryTrack(id: disguise.id, name: disguise.name, artists: disguise.artists))
                }
            }
            let total = counts.values.reduce(0, +)
            listeners.append(Listener(truth: counts.mapValues { $0 / total }, library: library))
        }
        let hiddenIDs = Set(disguises.keys)

        // The catalog the runs use: everything but the hidden tracks; their features in the cache.
        let store = try Store()
        _ = try CatalogImporter.write(rows: rows.filter { !hiddenIDs.contains($0.track.id) }, into: store)
        try store.recordFeatures(found: hiddenFeatures, missing: [], source: "eval", at: Date())
        let evidence = try listeners.map { try store.genreEvidence(for: $0.library) }

        var report = Report(listeners: listeners.count,
                            meanTracks: Double(listeners.map(\.library.count).reduce(0, +)) / Double(max(1, listeners.count)),
                            hiddenShare: settings.hidden, unknownArtistShare: settings.unknownArtists,
                            unknownInFirstGenre: settings.unknownInFirstGenre, rows: [])
        func measure(_ mode: Mode, _ weighting: GenreWeighting) -> Row {
            var row = Row(mode: mode.rawValue, weighting: weighting, top5Overlap: 0, jsd: 0, labelled: 0, inferred: 0, byArtist: 0, none: 0)
            for (listener, items) in zip(listeners, evidence) {
                let profile = GenreProfile.make(evidence: items.map(mode.apply), model: model, weighting: weighting)
                let predicted = profile.distribution
                let top = Set(profile.shares.filter { $0.share > 0 }.prefix(5).map(\.genre))
                let trueTop = Set(listener.truth.sorted { $0.value > $1.value }.prefix(5).map(\.key))
                row.top5Overlap += Double(top.intersection(trueTop).count) / Double(trueTop.count)
                row.jsd += predicted.isEmpty ? 1 : PlaylistQuality.jensenShannon(predicted, listener.truth)
                let c = profile.coverage, n = Double(max(1, c.libraryTracks))
                row.labelled += Double(c.labelled) / n
                row.inferred += Double(c.inferred) / n
                row.byArtist += Double(c.byArtist) / n
                row.none += Double(c.none) / n
            }
            let k = Double(max(1, listeners.count))
            for path in [\Row.top5Overlap, \Row.jsd, \Row.labelled, \Row.inferred, \Row.byArtist, \Row.none] {
                row[keyPath: path] = (row[keyPath: path] / k * 1000).rounded() / 1000
            }
            return row
        }
        for mode in Mode.allCases where mode != .allEvidence {
            report.rows.append(measure(mode, mode == .catalogFeaturesOnly ? .forestMean : .standard))
        }
        for weighting in weightings {
            report.rows.append(measure(.allEvidence, weighting))
        }
        return report
    }

    /// The weightings `eval profile` compares by default: how much a track only the forest covers
    /// counts against a labelled one, how sharp its probabilities are made, and whether they are
    /// corrected for the listener's own genre mix.
    public static let defaultGrid: [GenreWeighting] = {
        var grid: [GenreWeighting] = [.standard]
        for families in [false, true] {
            for listenerPrior in [false, true] {
                for forest in [0.0, 0.1, 0.25, 0.5, 1.0] where !(listenerPrior && forest == 0) {
                    let w = GenreWeighting(forest: forest, listenerPrior: listenerPrior, families: families)
                    if w != .standard { grid.append(w) }
                }
            }
        }
        for sharpness in [0.5, 2.0] { grid.append(GenreWeighting(forest: 0.5, sharpness: sharpness)) }
        return grid
    }()

    static func randomSpotifyID(_ random: inout SeededRandom) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<22).map { _ in alphabet[random.below(alphabet.count)] })
    }
}
