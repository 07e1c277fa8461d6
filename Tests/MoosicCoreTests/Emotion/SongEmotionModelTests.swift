import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
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

    /// A quick recipe: these tests check behaviour, the model card the quality.
    let quick = EmotionRecipe(hidden: [8], steps: 300, calibrationFolds: 3, seed: 1)

    func songs(perMood: Int = 30, seed: UInt64 = 1) throws -> [MoodSong] {
        try MoodSongsCSV.parse(bytes: Array(moodsCSV(perMood: perMood, seed: seed).utf8), name: "moods.csv").songs
    }

    func trainedModel() throws -> SongEmotionModel {
        try SongEmotionTraining.train(songs: try songs(), features: EmotionFeature.standard, recipe: quick)
    }

    @Test func datasetLabelsHappyAndSadAndDropsConflictingTracks() {
        let dataset = EmotionDataset(rows: rows(), features: EmotionFeature.mooSic)
        #expect(dataset.count == 120)
        #expect(dataset.conflictingTracks == 1)
        #expect(!dataset.trackIDs.contains("conflict"))
        #expect(dataset.data.labels.filter { $0 == 1 }.count == 60)
        #expect(dataset.data.columns == 9)
    }

    func scores(_ model: SongEmotionModel, _ track: CatalogTrack) -> (happy: Float, arousal: Float) {
        let s = model.scores(SongEmotionModel.featureRows([track], features: model.features))
        return (s.happy[0], s.arousal[0])
    }

    func song(energy: Double, valence: Double, acoustic: Double, instrumental: Double) -> CatalogTrack {
        var t = track("probe", energy: energy, valence: valence)
        t.features.acousticness = acoustic
        t.features.instrumentalness = instrumental
        t.features.loudness = -30 + 25 * energy
        t.features.tempo = 90 + 60 * energy
        return t
    }

    @Test func moodFileIsReadWithTheCatalogsRulesAndBadRowsAreCounted() throws {
        var text = moodsCSV(perMood: 3)
        let good = text.split(separator: "\n")[1]
        text += good.replacingOccurrences(of: ",Calm", with: ",Melancholy") + "\n"   // unknown mood
        text += good.replacingOccurrences(of: "2001-01-01,50", with: "2001-01-01,500") + "\n"  // popularity out of range
        let contents = try MoodSongsCSV.parse(bytes: Array(text.utf8), name: "m.csv")
        #expect(contents.songs.count == 12 && contents.invalidRows == 2)
        #expect(contents.problems.map(\.column).sorted() == ["mood", "popularity"])
        #expect(contents.problems.contains { $0.message.contains("\"Melancholy\" is not one of Calm, Sad, Happy, Energetic") })
        #expect(Set(contents.songs.map(\.mood)) == Set(SongMood.allCases))
        #expect(contents.songs[0].track.durationMs == 180_100, "length is the duration in ms")
        // A catalog file is not a mood file: the message says which option reads it.
        #expect(throws: MoosicError.invalidData("c.csv, line 1: missing column(s) name, album, artist, id, length, mood (this looks like a catalog file: use --data for it)")) {
            _ = try MoodSongsCSV.parse(bytes: Array((catalogHeader + "\n").utf8), name: "c.csv")
        }
    }

    @Test func placesSongsInTheValenceArousalPlaneAsListenersDo() throws {
        let model = try trainedModel()
        let happy = scores(model, song(energy: 0.75, valence: 0.75, acoustic: 0.15, instrumental: 0.02))
        let sad = scores(model, song(energy: 0.38, valence: 0.2, acoustic: 0.5, instrumental: 0.05))
        let calm = scores(model, song(energy: 0.12, valence: 0.15, acoustic: 0.9, instrumental: 0.85))
        let energetic = scores(model, song(energy: 0.95, valence: 0.45, acoustic: 0.05, instrumental: 0.1))
        #expect(happy.happy > 0.5 && sad.happy < 0.5)
        #expect(energetic.arousal > 0.5 && calm.arousal < 0.5)
        #expect(calm.arousal < sad.arousal && sad.arousal < happy.arousal, "arousal follows Calm < Sad < Happy")
        #expect(model.calibration.a > 0 && model.calibration != .identity)
    }

    @Test func agreementIsMeasuredPerAxisAndOnFourMoods() throws {
        let model = try trainedModel()
        let heldOut = try songs(perMood: 20, seed: 9)
        let agreement = MoodAgreement(model: model, songs: heldOut)
        #expect(agreement.n == 80 && agreement.happySad.n == 40 && agreement.energeticCalm.n == 40)
        #expect(agreement.happySad.auc > 0.9 && agreement.energeticCalm.auc > 0.9 && agreement.fourMoods > 0.6)
        #expect((0...1).contains(agreement.happySad.ece) && (0...1).contains(agreement.quadrants))
    }

    @Test func crossValidationKeepsEveryArtistOnOneSide() throws {
        let all = try songs()
        let folds = SongEmotionTraining.folds(all, k: 3, seed: 5)
        var foldOfArtist: [String: Int] = [:]
        for (song, fold) in zip(all, folds) {
            #expect(foldOfArtist[song.artistKey, default: fold] == fold)
            foldOfArtist[song.artistKey] = fold
        }
        let result = try SongEmotionTraining.crossValidate(songs: all, features: EmotionFeature.standard, recipe: quick, k: 3, seeds: [1, 2])
        #expect(result.folds.count == 6 && result.mean.n == 2 * all.count)
        #expect(result.mean.happySad.auc > 0.8 && result.spread["happy_sad_auc"] != nil)
    }

    @Test func theMooSicGenreRowsJoinTheHappyNetworkOnly() throws {
        let genre = EmotionDataset(rows: rows(), features: EmotionFeature.standard)
        let withGenres = try SongEmotionTraining.train(songs: try songs(), genreRows: genre, features: EmotionFeature.standard, recipe: quick)
        let without = try trainedModel()
        #expect(withGenres.happiness != without.happiness)
        #expect(withGenres.scaler != without.scaler, "the scaler spans the genre rows too")
        #expect(throws: MoosicError.self) {
            _ = try SongEmotionTraining.train(songs: try songs().filter { $0.mood != .calm }, features: EmotionFeature.standard, recipe: quick)
        }
    }

    @Test func theShippedModelKeepsItsIdentity() throws {
        let model = try SongEmotionModel.load(from: repositoryRoot.appendingPathComponent("Models/song_emotion.json"))
        #expect(model.identity == "song_emotion/v2/be01dbe028c8e985")
    }

    @Test func equalSeedsTrainEqualModelsAndOtherSeedsDiffer() throws {
        var other = quick
        other.seed = 2
        let a = try trainedModel()
        let b = try trainedModel()
        let c = try SongEmotionTraining.train(songs: try songs(), features: EmotionFeature.standard, recipe: other)
        #expect(a == b && a.identity == b.identity)
        #expect(a != c && a.identity != c.identity)
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
                guard case .invalidData(let message, _) = error else { return "wrong case \(error)" }
                return message
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(refusal(good) == nil)
        #expect(refusal("not json")?.contains("not a JSON object") == true)
        #expect(refusal(#"{"kind":"moosic.genre-forest","version":1}"#)?.contains("its kind is \"moosic.genre-forest\"") == true)
        // The version-1 model (one network, the genre proxy) is refused with what to do.
        #expect(refusal(good.replacingOccurrences(of: "\"version\":2", with: "\"version\":1"))?.contains("version 1, this moosic reads version 2: retrain it with `moosic train emotion --moods <csv>`") == true)
        #expect(refusal(String(good.prefix(good.count / 2)))?.contains("not a JSON object") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"parameters\":[", with: "\"parameters\":[1,"))?.contains("corrupt") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"features\":[", with: "\"features\":[\"colour\","))?.contains("corrupt") == true)
        #expect(refusal(good.replacingOccurrences(of: "\"biases\":[", with: "\"biases\":[1,"))?.contains("corrupt") == true)
    }

    @Test func storeScoresMissingAndStaleTracksOnly() throws {
        let store = try Store()
        let catalog = rows().filter { $0.track.id != "conflict" }
        _ = try CatalogImporter.write(rows: catalog, into: store)
        let model = try trainedModel()
        let first = try store.refreshEmotionScores(model: model)
        #expect(first.scored == catalog.count)
        #expect(try store.refreshEmotionScores(model: model).scored == 0)
        let stored = try store.rankingCandidates(genres: [catalog[0].genre]).first { $0.id == catalog[0].track.id }
        let expected = scores(model, catalog[0].track)
        #expect(stored?.emotion == Double(expected.happy) && stored?.arousal == Double(expected.arousal))
        // Another model's scores are stale; a changed track has lost its score.
        var other = model
        other.arousal.parameters[0] += 0.5
        var changed = catalog[1]
        changed.track.features.energy += 0.01
        _ = try CatalogImporter.write(rows: [changed], into: store)
        #expect(try store.refreshEmotionScores(model: model).scored == 1)
        #expect(try store.refreshEmotionScores(model: other).scored == catalog.count)
        #expect(try store.catalogStats().tracksWithEmotion == catalog.count)
    }
}
