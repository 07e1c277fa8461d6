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
/// probability, which is what the profile averages. Splits are by track id, so a track's rows are
/// all on one side.
public struct GenreData: Sendable {
    public var trackIDs: [String]
    public var genres: [String]
    public var features: [Float]

    public var count: Int { trackIDs.count }

    /// The rows whose genre is in `genres` (all rows when nil).
    public init(rows: [CatalogRow], genres: Set<String>? = nil) {
        trackIDs = []
        self.genres = []
        features = []
        for row in rows where genres?.contains(row.genre) ?? true {
            trackIDs.append(row.track.id)
            self.genres.append(row.genre)
            features.append(contentsOf: GenreFeatures.vector(row.track.features))
        }
    }

    init(trackIDs: [String], genres: [String], features: [Float]) {
        self.trackIDs = trackIDs
        self.genres = genres
        self.features = features
    }

    public var distinctGenres: [String] { Array(Set(genres)).sorted() }

    public func subset(_ keep: (Int) -> Bool) -> GenreData {
        let d = GenreFeatures.names.count
        var out = GenreData(trackIDs: [], genres: [], features: [])
        for i in 0..<count where keep(i) {
            out.trackIDs.append(trackIDs[i])
            out.genres.append(genres[i])
            out.features.append(contentsOf: features[i * d..<(i + 1) * d])
        }
        return out
    }

    /// The fold (0..<folds) of a track id: a hash of the id, so a track's rows share a fold and the
    /// split does not depend on the file's order.
    public static func fold(of trackID: String, folds: Int, seed: UInt64) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in trackID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(SeededRandom.mix(hash) % UInt64(folds))
    }

    /// Training data over `classes` (sorted genre names); rows of other genres are left out.
    public func classification(classes: [String]) -> ClassificationData {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let known = subset { index[genres[$0]] != nil }
        var trackNumber: [String: Int] = [:]
        let groups = known.trackIDs.map { id in
            trackNumber[id] ?? { trackNumber[id] = trackNumber.count; return trackNumber.count - 1 }()
        }
        return ClassificationData(features: known.features, labels: known.genres.map { index[$0]! },
                                  featureCount: GenreFeatures.names.count, classes: classes,
                                  featureNames: GenreFeatures.names, groups: groups)
    }
}

/// How well a genre model labels held-out rows.
public struct GenreMetrics: Sendable, Equatable, Codable {
    public var n: Int
    public var accuracy: Double
    /// Mean F1 over the genres that occur among the true or the predicted labels.
    public var macroF1: Double
    /// Share of rows whose genre is among the model's 5 most probable.
    public var top5: Double

    enum CodingKeys: String, CodingKey {
        case n, accuracy, top5
        case macroF1 = "macro_f1"
    }

    public init(n: Int, accuracy: Double, macroF1: Double, top5: Double) {
        self.n = n
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.top5 = top5
    }

    /// Metrics from row-major probabilities (`labels.count × classCount`).
    public init(probabilities: [Double], labels: [Int], classCount c: Int) {
        let n = labels.count
        var correct = 0, inTop5 = 0
        var truePositive = [Int](repeating: 0, count: c)
        var predicted = [Int](repeating: 0, count: c)
        var actual = [Int](repeating: 0, count: c)
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let row = UnsafeBufferPointer(rebasing: p[i * c..<(i + 1) * c])
                let guess = argmax(row)
                let label = labels[i]
                predicted[guess] += 1
                actual[label] += 1
                if guess == label { correct += 1; truePositive[label] += 1 }
                // Rank of the true class: classes more probable than it (ties to the lower index).
                var above = 0
                for k in 0..<c where row[k] > row[label] || (row[k] == row[label] && k < label) { above += 1 }
                if above < 5 { inTop5 += 1 }
            }
        }
        var f1Sum = 0.0, f1Classes = 0
        for k in 0..<c where predicted[k] + actual[k] > 0 {
            f1Sum += 2 * Double(truePositive[k]) / Double(predicted[k] + actual[k])
            f1Classes += 1
        }
        self.init(n: n, accuracy: n == 0 ? 0 : Double(correct) / Double(n),
                  macroF1: f1Classes == 0 ? 0 : f1Sum / Double(f1Classes),
                  top5: n == 0 ? 0 : Double(inTop5) / Double(n))
    }
}
