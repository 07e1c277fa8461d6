import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO

@Suite struct GenreTrainingTests {
    /// `perGenre` tracks of each genre, told apart by their "value" features (calm 0.1, mid 0.5,
    /// loud 0.9, with a little spread); the first `shared` tracks of "calm" are listed under "mid" too.
    func rows(perGenre: Int = 60, shared: Int = 0) -> [CatalogRow] {
        var rows: [CatalogRow] = []
        for (g, genre) in ["calm", "mid", "loud"].enumerated() {
            for i in 0..<perGenre {
                let value = 0.1 + 0.4 * Double(g) + 0.001 * Double(i)
                let track = CatalogTrack(id: "\(genre)\(i)", name: "s", artists: "a", album: "b", popularity: 1,
                                         durationMs: 1, explicit: false, features: audio(value), timeSignature: 4)
                rows.append(CatalogRow(track: track, genre: genre, line: rows.count + 2))
                if genre == "calm", i < shared {
                    rows.append(CatalogRow(track: track, genre: "mid", line: rows.count + 2))
                }
            }
        }
        return rows
    }

    let settings = RandomForestSettings(trees: 8, seed: 1, threads: 1)

    @Test func holdOutSplitsByTrackIdAboutATenth() {
        let data = GenreData(rows: rows(perGenre: 200, shared: 50))
        let (training, validation) = GenreTraining.holdOut(data, seed: 42)
        #expect(training.count + validation.count == data.count)
        #expect(validation.count > data.count / 20 && validation.count < data.count / 5)
        #expect(Set(training.trackIDs).isDisjoint(with: validation.trackIDs), "a track's rows stay on one side")
        #expect(validation.trackIDs.allSatisfy { CrossValidation.fold(of: $0.utf8, folds: 10, seed: 42) == 0 })
        let again = GenreTraining.holdOut(data, seed: 42)
        #expect(again.validation.trackIDs == validation.trackIDs)
        #expect(GenreTraining.holdOut(data, seed: 43).validation.trackIDs != validation.trackIDs)
    }

    @Test func crossValidationTrainsOneModelPerFoldOnTheOtherFolds() throws {
        let data = GenreData(rows: rows(shared: 10))
        let results = try GenreTraining.crossValidate(data, folds: 3, settings: settings)
        #expect(results.count == 3)
        #expect(results.map(\.evaluation.metrics.n).reduce(0, +) == data.count, "every row is validated once")
        for result in results {
            #expect(result.trainingRows + result.evaluation.metrics.n == data.count)
            #expect(result.model.classes == ["calm", "loud", "mid"])
            #expect(result.evaluation.metrics.top5 == 1, "three genres are always in the top five")
        }
        let mean = GenreMetrics.mean(results.map(\.evaluation.metrics))
        #expect(mean.n == data.count)
        #expect(abs(mean.accuracy - results.map(\.evaluation.metrics.accuracy).reduce(0, +) / 3) < 1e-12)
        #expect(mean.accuracy > 0.8)
    }

    @Test func crossValidationNeedsTwoFolds() {
        #expect(throws: MoosicError.usage("cross-validation needs at least 2 folds")) {
            try GenreTraining.crossValidate(GenreData(rows: rows()), folds: 1, settings: settings)
        }
    }

    @Test func evaluationSkipsGenresTheModelDoesNotKnow() throws {
        let all = GenreData(rows: rows())
        let twoGenres = GenreData(rows: rows(), genres: ["calm", "loud"])
        #expect(twoGenres.count == 120 && twoGenres.distinctGenres == ["calm", "loud"])
        let result = try GenreTraining.trainAndEvaluate(training: twoGenres, validation: all, settings: settings)
        #expect(result.model.classes == ["calm", "loud"])
        #expect(result.trainingRows == 120)
        #expect(result.evaluation.skippedRows == 60)
        #expect(result.evaluation.metrics == GenreMetrics(n: 120, accuracy: 1, macroF1: 1, top5: 1))
    }

    @Test func aSubsetKeepsItsRowsGenresAndGroups() {
        let data = GenreData(rows: rows(shared: 5))
        #expect(data.genres == ["calm", "loud", "mid"])
        // calm0 is listed under calm and mid: one group, two rows.
        #expect(data.trackIDs[0] == "calm0" && data.trackIDs[1] == "calm0")
        #expect(data.genre(ofRow: 0) == "calm" && data.genre(ofRow: 1) == "mid")
        #expect(data.rows.groups?[0] == data.rows.groups?[1])
        let loud = data.subset { data.genre(ofRow: $0) == "loud" }
        #expect(loud.count == 60 && loud.distinctGenres == ["loud"])
        #expect(loud.rows.features == Array(data.rows.features[(data.count - 60) * 11..<data.count * 11]))
        let training = loud.classification(classes: ["calm", "loud"])
        #expect(training.labels.allSatisfy { $0 == 1 } && training.rows == 60)
    }

    @Test func loadRefusesMissingGenres() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("c.csv", [catalogHeader, catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV", [:])]
            .joined(separator: "\n") + "\n")
        #expect(throws: MoosicError.invalidData("c.csv has no rows of genre(s) polka")) {
            try GenreTraining.load(url: file, genres: ["polka"])
        }
        let (data, invalid) = try GenreTraining.load(url: file)
        #expect(data.count == 1 && invalid == 0)
    }
}
