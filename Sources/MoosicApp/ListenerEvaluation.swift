import Foundation
import MoosicCore
import MoosicML
import MoosicStore

/// `moosic eval listeners`: how close the genre profile moosic builds comes to real listeners'
/// genres, with each kind of evidence it can have (issue 21).
///
/// A listener is a file of their library (Exportify's columns, one row per playlist entry: the
/// track's Spotify id, name, artists, the genres Spotify gives its artists and its audio features).
/// Their truth is what Spotify says of their artists: each track's artist tags mapped onto the
/// catalog's genres (`SpotifyGenreTags`), shared equally within the track, averaged over their
/// tracks. The profile comes from the store as a real run builds it, in three modes:
/// - `offline`: no features service (catalog labels, else the artists' catalog genres);
/// - `service`: the features service answering with the file's features for every track the
///   catalog lacks (they go into the store's feature cache, as the service's answers do);
/// - `featuresOnly`: the forest over every track's features, nothing else.
public enum ListenerEvaluation {
    public struct Listener: Sendable {
        public var name: String
        /// Distinct tracks, in the order the file first lists them.
        public var library: [LibraryTrack]
        /// Spotify's genre tags of each track's artists (same order as `library`).
        public var tags: [[String]]
        /// The file's audio features by track id (tracks without a complete, valid set are absent).
        public var features: [String: AudioFeatures]
    }

    public enum Mode: String, CaseIterable, Sendable, Encodable {
        case offline = "no features service"
        case service = "features service on"
        case featuresOnly = "features only"
    }

    /// One listener's figures in one mode.
    public struct ListenerRow: Sendable, Encodable {
        public var listener: String
        public var mode: Mode
        public var tracks: Int
        /// |moosic's top 5 ∩ the truth's top 10| / 5.
        public var hitsAt5: Double
        /// moosic's first genre is in the truth's top 5.
        public var top1: Bool
        /// Jensen–Shannon divergence (bits) between the profile and the truth.
        public var jsd: Double
        public var coverage: GenreProfile.Coverage
        public var top5: [String]
        public var truthTop10: [String]
    }

    /// The mean over the listeners of one mode and weighting.
    public struct Summary: Sendable, Encodable {
        public var mode: Mode
        public var weighting: GenreWeighting
        public var hitsAt5: Double
        public var top1: Int
        public var listeners: Int
        public var jsd: Double
        /// Mean share of library tracks counted by each kind of evidence.
        public var labelled, byArtist, inferred, none: Double
        /// Mean share of library tracks with audio features.
        public var withFeatures: Double
    }

    public struct Report: Sendable, Encodable {
        /// The standard weighting, per mode.
        public var summaries: [Summary]
        public var rows: [ListenerRow]
        /// Other weightings, with the features service on (empty unless asked for).
        public var grid: [Summary]
    }

    /// The listeners of an Exportify-style CSV (columns `listener`, `track_id`, `track_name`,
    /// `artists` (comma-separated), `artist_genres` (comma-separated), and the audio features).
    public static func read(url: URL) throws -> [Listener] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MoosicError.fileMissing(path: url.path) }
        var reader = CSVReader(bytes: [UInt8](data))
        var fields: [CSVReader.Field] = []
        guard try reader.readRecord(into: &fields) else { throw MoosicError.invalidData("\(url.path) is empty") }
        let header = fields.map { reader.string($0) }
        let required = ["listener", "track_id", "track_name", "artists", "artist_genres"] + GenreFeatures.names
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw MoosicError.invalidData("\(url.path) lacks column(s) \(missing.joined(separator: ", ")) (a listeners file has \(required.joined(separator: ",")))")
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }) { a, _ in a }
        var order: [String] = []
        var byName: [String: Listener] = [:]
        var seen: [String: Set<String>] = [:]
        while try reader.readRecord(into: &fields) {
            guard fields.count == header.count else {
                throw MoosicError.invalidData("\(url.path) line \(reader.line): \(fields.count) fields, the header has \(header.count)")
            }
            func text(_ name: String) -> String { reader.string(fields[column[name]!]) }
            func number(_ name: String) -> Double? { reader.double(fields[column[name]!]) }
            let name = text("listener"), id = text("track_id")
            guard !id.isEmpty, seen[name, default: []].insert(id).inserted else { continue }
            if byName[name] == nil {
                order.append(name)
                byName[name] = Listener(name: name, library: [], tags: [], features: [:])
            }
            let artists = text("artists").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            byName[name]!.library.append(LibraryTrack(id: id, name: text("track_name"), artists: artists.joined(separator: ";")))
            byName[name]!.tags.append(text("artist_genres").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
            let values = GenreFeatures.names.map(number)
            if values.allSatisfy({ $0 != nil }) {
                let v = values.map { $0! }
                let features = AudioFeatures(danceability: v[0], energy: v[1], key: Int(v[2]), loudness: v[3], mode: Int(v[4]),
                                             speechiness: v[5], acousticness: v[6], instrumentalness: v[7], liveness: v[8],
                                             valence: v[9], tempo: v[10])
                if features.invalidFeatures.isEmpty { byName[name]!.features[id] = features }
            }
        }
        return order.map { byName[$0]! }
    }

    /// A listener's truth: the mean over their tracks of each track's catalog genres by its artists' tags.
    public static func truth(_ listener: Listener, genres: [String]) -> [String: Double] {
        let mapping = SpotifyGenreTags(genres: genres)
        var sums: [String: Double] = [:]
        var tracks = 0
        for tags in listener.tags {
            var counts: [String: Double] = [:]
            for tag in tags { for genre in mapping.genres(of: tag) { counts[genre, default: 0] += 1 } }
            let total = counts.values.reduce(0, +)
            guard total > 0 else { continue }
            tracks += 1
            for (genre, count) in counts { sums[genre, default: 0] += count / total }
        }
        return tracks == 0 ? [:] : sums.mapValues { $0 / Double(tracks) }
    }

    /// Runs every mode over `listeners` against `store` (its catalog imported; its feature cache
    /// gets the file's features for the tracks the catalog lacks, as the service would give them).
    public static func run(listeners: [Listener], store: Store, forest: GenreForest, weightings grid: [GenreWeighting] = [],
                           progress: ((Double) -> Void)? = nil) throws -> Report {
        let genres = Array(try store.catalogGenres())
        var report = Report(summaries: [], rows: [], grid: [])
        struct Prepared { var listener: Listener; var truth: [String: Double]; var evidence: [Mode: [GenreEvidence]] }
        var prepared: [Prepared] = []
        for (n, listener) in listeners.enumerated() {
            // The service is asked only for the tracks the catalog lacks; the evidence never reads the
            // cache for a track the catalog has, so caching all of the file's features is the same.
            try store.recordFeatures(found: listener.features, missing: [], source: "listeners file", at: Date())
            let service = try store.genreEvidence(for: listener.library)
            // Offline: the same evidence without the service's features (the cache may already hold
            // some from another listener who shares the track).
            let offline = service.map { $0.featuresSource == .service ? GenreEvidence(labels: $0.labels, artistGenres: $0.artistGenres) : $0 }
            let featuresOnly = listener.library.enumerated().map { i, track in
                GenreEvidence(features: listener.features[track.id] ?? service[i].features, featuresSource: .service)
            }
            prepared.append(Prepared(listener: listener, truth: truth(listener, genres: genres),
                                     evidence: [.offline: offline, .service: service, .featuresOnly: featuresOnly]))
            progress?(Double(n + 1) / Double(listeners.count) / 2)
        }
        func measure(_ mode: Mode, _ weighting: GenreWeighting, keepRows: Bool) throws -> Summary {
            var summary = Summary(mode: mode, weighting: weighting, hitsAt5: 0, top1: 0, listeners: prepared.count, jsd: 0,
                                  labelled: 0, byArtist: 0, inferred: 0, none: 0, withFeatures: 0)
            for p in prepared {
                let profiler = ForestGenreProfiler(forest: forest, evidence: FixedEvidence(items: p.evidence[mode]!), cache: store,
                                                   weighting: weighting)
                let profile = try profiler.profile(of: p.listener.library)
                let row = score(profile, truth: p.truth, listener: p.listener.name, mode: mode)
                if keepRows { report.rows.append(row) }
                summary.hitsAt5 += row.hitsAt5
                summary.top1 += row.top1 ? 1 : 0
                summary.jsd += row.jsd
                let c = profile.coverage, n = Double(max(1, c.libraryTracks))
                summary.labelled += Double(c.labelled) / n
                summary.byArtist += Double(c.byArtist) / n
                summary.inferred += Double(c.inferred) / n
                summary.none += Double(c.none) / n
                summary.withFeatures += Double(c.withFeatures) / n
            }
            let k = Double(max(1, prepared.count))
            for path in [\Summary.hitsAt5, \.jsd, \.labelled, \.byArtist, \.inferred, \.none, \.withFeatures] {
                summary[keyPath: path] = (summary[keyPath: path] / k * 1000).rounded() / 1000
            }
            return summary
        }
        for (n, mode) in Mode.allCases.enumerated() {
            report.summaries.append(try measure(mode, .standard, keepRows: true))
            progress?(0.5 + Double(n + 1) / Double(Mode.allCases.count + grid.count) / 2)
        }
        for (n, weighting) in grid.enumerated() {
            report.grid.append(try measure(.service, weighting, keepRows: false))
            progress?(0.5 + Double(Mode.allCases.count + n + 1) / Double(Mode.allCases.count + grid.count) / 2)
        }
        return report
    }

    static func score(_ profile: GenreProfile, truth: [String: Double], listener: String, mode: Mode) -> ListenerRow {
        let top5 = Array(profile.shares.filter { $0.share > 0 }.prefix(5).map(\.genre))
        let truthTop10 = Array(truth.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10).map(\.key))
        let predicted = profile.distribution
        return ListenerRow(listener: listener, mode: mode, tracks: profile.coverage.libraryTracks,
                           hitsAt5: Double(Set(top5).intersection(truthTop10).count) / 5,
                           top1: top5.first.map { truthTop10.prefix(5).contains($0) } ?? false,
                           jsd: predicted.isEmpty || truth.isEmpty ? 1 : (PlaylistQuality.jensenShannon(predicted, truth) * 1000).rounded() / 1000,
                           coverage: profile.coverage, top5: top5, truthTop10: truthTop10)
    }

    /// The evidence a mode gives, for the profiler.
    struct FixedEvidence: GenreEvidenceLookup {
        var items: [GenreEvidence]
        func genreEvidence(for library: [LibraryTrack]) throws -> [GenreEvidence] { items }
    }
}

/// Spotify's artist genre tags ("detroit hip hop", "r&b", "indie pop") mapped onto the catalog's
/// genre names ("hip-hop", "r-n-b", "indie-pop", "pop"): a tag counts for a catalog genre when every
/// word of the genre's name is a word of the tag ("indie pop" is indie, pop and indie-pop), plus the
/// synonyms below for names the words miss. Used for the truth of `eval listeners`, never by the profile.
public struct SpotifyGenreTags: Sendable {
    /// Tag words (or phrases) that mean a catalog genre whose name they do not contain.
    public static let synonyms: [String: [String]] = [
        "rap": ["hip-hop"],
        "r&b": ["r-n-b"],
        "rnb": ["r-n-b"],
        "alternative rock": ["alt-rock"],
        "rock and roll": ["rock-n-roll"],
        "rock n roll": ["rock-n-roll"],
        "synthpop": ["synth-pop"],
        "electronica": ["electronic"],
        "brazilian": ["brazil"],
        "afrobeats": ["afrobeat"],
        "soundtrack": ["pop-film"],
    ]

    /// Each catalog genre's words ("drum-and-bass" → drum, and, bass; "r-n-b" → r&b).
    let genreWords: [(genre: String, words: Set<String>)]

    public init(genres: [String]) {
        genreWords = genres.sorted().map { genre in
            (genre, genre == "r-n-b" ? ["r&b"] : Set(Self.words(genre)))
        }
    }

    /// Lower-case words: letters, digits and "&" ("r&b" stays one word; "k-pop" is k and pop).
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "&") }.map(String.init)
    }

    /// The catalog genres a tag counts for.
    public func genres(of tag: String) -> Set<String> {
        let words = Self.words(tag)
        let set = Set(words)
        var found = Set(genreWords.filter { !$0.words.isEmpty && $0.words.isSubset(of: set) }.map(\.genre))
        let phrase = " " + words.joined(separator: " ") + " "
        for (key, genres) in Self.synonyms where phrase.contains(" " + key + " ") {
            found.formUnion(genres.filter { g in genreWords.contains { $0.genre == g } })
        }
        return found
    }
}
