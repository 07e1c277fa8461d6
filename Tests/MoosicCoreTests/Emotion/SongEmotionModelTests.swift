import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct SongEmotionModelTests {
    func track(_ id: String, energy: Double, valence: Double = 0.5, duration: Int = 200_000) -> CatalogTrack {
        CatalogTrack(id: id, name: "n", artists: "a", album: "b", popularity: 10, durationMs: duration, explicit: false,
                     features: AudioFeatures(danceability: 0.5, energy: energy, key: 1, loudness: -8 + 6 * energy, mode: 1,
                                             speechiness: 0.05, acousticness: 1 - energy, instrumentalness: 0.1,
                                             liveness: 0.1, valence: valence, tempo: 100 + 60 * energy),
                     timeSignature: 4)
    }

    func rows() -> [CatalogRow] {
        var generator = SeededRandom(seed: 4)
        var rows: [CatalogRow] = []
        for i in 0..<120 {
            let happy = i % 2 == 0
            let energy = Double(generator.unitFloat()) * 0.4 + (happy ? 0.6 : 0)
            let id = String(format: "%022d", i)
            rows.append(CatalogRow(track: track(id, energy: energy), genre: happy ? "happy" : "sad", line: i + 2))
        }
        rows.append(CatalogRow(track: track("conflict", energy: 0.5), genre: "happy", line: 200))
        rows.append(CatalogRow(track: track("conflict", energy: 0.5), genre: "sad", line: 201))
        rows.append(CatalogRow(track: track("other", energy: 0.5), genre: "rock", line: 202))
        return rows
    }

    func trainedModel() throws -> SongEmotionModel {
        let dataset = EmotionDataset(rows: rows(), features: EmotionFeature.standard)
        // 200 epochs of 3 mini-batches: fewer (60) leave some seeds short of separating the classes.
        let settings = TrainingSettings(hidden: [8], maxEpochs: 200, seed: 1)
        return try SongEmotionTraining.train(dataset, features: EmotionFeature.standard, settings: settings).model
    }

    @Test func datasetLabelsHappyAndSadAndDropsConflictingTracks() {
        let dataset = EmotionDataset(rows: rows(), features: EmotionFeature.mooSic)
        #expect(dataset.count == 120)
        #expect(dataset.conflictingTracks == 1)
        #expect(!dataset.trackIDs.contains("conflict"))
        #expect(dataset.data.labels.filter { $0 == 1 }.count == 60)
        #expect(dataset.data.columns == 9)
    }

    func emotion(_ model: SongEmotionModel, _ track: CatalogTrack) -> Float {
        model.scores(SongEmotionModel.featureRows([track], features: model.features))[0]
    }

    @Test func trainsASeparableTaskAndScoresHappyAboveSad() throws {
        let model = try trainedModel()
        #expect(model.validation?.accuracy == 1)
        #expect(emotion(model, track("x", energy: 0.95)) > 0.5)
        #expect(emotion(model, track("y", energy: 0.05)) < 0.5)
    }

    @Test func theShippedModelKeepsItsIdentity() throws {
        let model = try SongEmotionModel.load(from: repositoryRoot.appendingPathComponent("Models/song_emotion.json"))
        #expect(model.identity == "song_emotion/v1/10d3227eb6058dec")
    }

    @Test func equalSeedsTrainEqualModelsAndOtherSeedsDiffer() throws {
        let dataset = EmotionDataset(rows: rows(), features: EmotionFeature.standard)
        let settings = TrainingSettings(hidden: [8], maxEpochs: 10, seed: 1)
        var other = settings
        other.seed = 2
        let a = try SongEmotionTraining.train(dataset, features: EmotionFeature.standard, settings: settings)
        let b = try SongEmotionTraining.train(dataset, features: EmotionFeature.standard, settings: settings)
        let c = try SongEmotionTraining.train(dataset, features: EmotionFeature.standard, settings: other)
        #expect(a.model == b.model && a.model.identity == b.model.identity && a.isValidation == b.isValidation)
        #expect(a.model != c.model && a.isValidation != c.isValidation)
    }

    @Test func foldsKeepTracksWithEqualFeaturesTogether() throws {
        // Every track twice, under two ids: the copies share their features, so their group and fold.
        let doubled = rows().flatMap { row -> [CatalogRow] in
            var copy = row
            copy.track.id += "-copy"
            return [row, copy]
        }
        let dataset = EmotionDataset(rows: doubled, features: EmotionFeature.standard)
        let folds = dataset.folds(5, seed: 3)
        for i in stride(from: 0, to: dataset.count, by: 2) {
            #expect(dataset.trackIDs[i + 1] == dataset.trackIDs[i] + "-copy" && folds[i] == folds[i + 1])
        }
        #expect(Set(folds) == Set(0..<5))
    }

    @Test func saveThenLoadGivesIdenticalOutputsAndIdentity() throws {
        let model = try trainedModel()
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("m.json")
        try model.save(to: url)
        let loaded = try SongEmotionModel.load(from: url)
        #expect(loaded == model)
        #expect(loaded.identity == model.identity)
        let probe = (0..<50).map { track("p\($0)", energy: Double($0) / 49, valence: 0.3, duration: 1000 * $0) }
        let raw = SongEmotionModel.featureRows(probe, features: model.features)
        #expect(loaded.scores(raw) == model.scores(raw))
    }

    @Test func refusesWrongKindVersionAndCorruptFiles() throws {
        let model = try trainedModel()
        let good = String(decoding: try model.encoded(), as: UTF8.self)
        func refusal(_ text: String) -> String? {
            do {
                _ = try SongEmotionModel.decode(Data(text.utf8), name: "m.json")
                return nil
            } catch let error as MoosicError {
                guard case .invalidData(let message) = error else { return "wrong case \(error)" }
                return message
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(refusal(good) == nil)
        #expect(refusal("not json")?.contains("not a JSON object") == true)
        #expect(refusal(#"{"kind":"moosic.genre-forest","version":1}"#)?.contains("its kind is \"moosic.genre-forest\"") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"))?.contains("version 2") == true)
        #expect(refusal(String(good.prefix(good.count / 2)))?.contains("not a JSON object") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"parameters\":[", with: "\"parameters\":[1,"))?.contains("corrupt") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"features\":[", with: "\"features\":[\"colour\","))?.contains("corrupt") == true)
    }

    @Test func storeScoresMissingAndStaleTracksOnly() throws {
        let store = try Store()
        let catalog = rows().filter { $0.track.id != "conflict" }
        _ = try CatalogImporter.write(rows: catalog, into: store)
        let model = try trainedModel()
        let first = try store.refreshEmotionScores(model: model)
        #expect(first.scored == catalog.count)
        #expect(try store.refreshEmotionScores(model: model).scored == 0)
        let stored = try store.rankingCandidates(genres: [catalog[0].genre]).first { $0.id == catalog[0].track.id }?.emotion
        #expect(stored == Double(emotion(model, catalog[0].track)))
        // Another model's scores are stale; a changed track has lost its score.
        var other = model
        other.network.parameters[0] += 0.5
        var changed = catalog[1]
        changed.track.features.energy += 0.01
        _ = try CatalogImporter.write(rows: [changed], into: store)
        #expect(try store.refreshEmotionScores(model: model).scored == 1)
        #expect(try store.refreshEmotionScores(model: other).scored == catalog.count)
        #expect(try store.catalogStats().tracksWithEmotion == catalog.count)
    }
}
