import Foundation
import MoosicML

/// The model's inputs for a song: the 11 audio features, in this order. Training, evaluation and
/// the user's genre profile all go through `vector(_:)`, so they cannot disagree.
/// (Popularity, duration, explicit and time signature were measured too: see Models/genre_forest.md.)
public enum GenreFeatures {
    public static let names = [
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness", "liveness", "valence", "tempo",
    ]

    public static func vector(_ f: AudioFeatures) -> [Float] {
        [Float(f.danceability), Float(f.energy), Float(f.key), Float(f.loudness), Float(f.mode),
         Float(f.speechiness), Float(f.acousticness), Float(f.instrumentalness), Float(f.liveness),
         Float(f.valence), Float(f.tempo)]
    }
}

/// Catalog rows as labelled examples: one example per (track, genre) row. A track listed under
/// several genres (14,937 ids in the full dataset) gives one example per genre, with the same
/// features: the forest then learns that those features mean each of those genres with some
/// probability, which is what the profile averages. A track's rows form one group, so splits
/// (by track id) keep them on one side and the out-of-bag score counts them as one.
public struct GenreData: Sendable {
    /// The genres of the rows, sorted: the names `rows.labels` index.
    public private(set) var genres: [String]
    public private(set) var trackIDs: [String]
    /// Features by `GenreFeatures.vector`, the genre's index in `genres`, a group per track id.
    public private(set) var rows: Dataset

    public var count: Int { trackIDs.count }

    /// The rows whose genre is in `genres` (all rows when nil).
    public init(rows catalog: [CatalogRow], genres wanted: Set<String>? = nil) {
        let kept = catalog.filter { wanted?.contains($0.genre) ?? true }
        genres = Array(Set(kept.map(\.genre))).sorted()
        let index = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1, $0) })
        var trackNumber: [String: Int] = [:]
        let groups = kept.map { row in
            trackNumber[row.track.id] ?? { trackNumber[row.track.id] = trackNumber.count; return trackNumber.count - 1 }()
        }
        trackIDs = kept.map(\.track.id)
        rows = Dataset(features: kept.flatMap { GenreFeatures.vector($0.track.features) }, labels: kept.map { index[$0.genre]! },
                       columns: GenreFeatures.names.count, groups: groups)
    }

    /// The genre of row `i`.
    public func genre(ofRow i: Int) -> String { genres[rows.labels[i]] }

    /// The genres that rows have (after `subset`, perhaps fewer than `genres`), sorted.
    public var distinctGenres: [String] { Set(rows.labels).sorted().map { genres[$0] } }

    public func subset(_ keep: (Int) -> Bool) -> GenreData {
        let indices = (0..<count).filter(keep)
        var out = self
        out.trackIDs = indices.map { trackIDs[$0] }
        out.rows = rows.subset(indices)
        return out
    }

    /// The fold (0..<folds) of every row, by track id (`CrossValidation`'s scheme), so a track's
    /// rows share a fold and the split does not depend on the file's order.
    public func folds(_ folds: Int, seed: UInt64) -> [Int] {
        trackIDs.map { CrossValidation.fold(of: $0.utf8, folds: folds, seed: seed) }
    }

    /// Training data over `classes` (sorted genre names): labels index `classes`; rows of other
    /// genres are left out.
    public func classification(classes: [String]) -> Dataset {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let classOfGenre = genres.map { index[$0] }
        let known = rows.labels.indices.filter { classOfGenre[rows.labels[$0]] != nil }
        var data = rows.subset(known)
        data.labels = data.labels.map { classOfGenre[$0]! }
        return data
    }
}
