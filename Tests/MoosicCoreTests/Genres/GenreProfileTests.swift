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

/// A catalog look-up from a dictionary, to test the profile without a store.
struct DictionaryLookup: CatalogLookup {
    var features: [String: AudioFeatures]
    func features(for track: LibraryTrack) -> AudioFeatures? { features[track.id] }
}

func audio(_ value: Double) -> AudioFeatures {
    AudioFeatures(danceability: value, energy: value, key: 1, loudness: -5, mode: 1, speechiness: 0.1,
                  acousticness: value, instrumentalness: 0, liveness: 0.1, valence: value, tempo: 120)
}

@Suite struct GenreProfileTests {
    /// 200 catalog rows of two genres told apart by every "value" feature: low is calm, high is loud.
    func loudAndCalmRows() -> [CatalogRow] {
        (0..<200).map { i in
            let loud = i % 2 == 1
            let track = CatalogTrack(id: "t\(i)", name: "s\(i)", artists: "a", album: "b", popularity: 1,
                                     durationMs: 1, explicit: false, features: audio(loud ? 0.9 : 0.1), timeSignature: 4)
            return CatalogRow(track: track, genre: loud ? "loud" : "calm", line: i + 2)
        }
    }

    @Test func theProfileIsTheMeanProbabilityOverTracksWithFeatures() throws {
        // Two genres told apart by every "value" feature: low is calm, high is loud.
        let rows = loudAndCalmRows()
        let data = GenreData(rows: rows)
        let model = try GenreTraining.train(data, settings: RandomForestSettings(trees: 10, seed: 1))
        let library = ["x", "y", "z", "w"].map { LibraryTrack(id: $0, name: $0, artists: "a") }
        let lookup = DictionaryLookup(features: ["x": audio(0.9), "y": audio(0.9), "z": audio(0.1)])
        let profile = try GenreProfile.make(library: library, catalog: lookup, model: model)
        #expect(profile.coverage == GenreProfile.Coverage(libraryTracks: 4, withFeatures: 3))
        #expect(profile.shares.map(\.genre) == ["loud", "calm"])
        #expect(abs(profile.shares[0].share - 2.0 / 3) < 1e-9)
        #expect(abs(profile.shares[1].share - 1.0 / 3) < 1e-9)

        let calmOnly = profile.restricted(to: ["calm", "jazz"])
        #expect(calmOnly.shares == [GenreShare(genre: "calm", share: 1, sources: .init(forest: 1))])
        #expect(calmOnly.coverage == profile.coverage)

        let empty = try GenreProfile.make(library: library, catalog: DictionaryLookup(features: [:]), model: model)
        #expect(empty.coverage.withFeatures == 0)
        #expect(empty.shares.allSatisfy { $0.share == 0 })
    }

    @Test func theFixtureListenerIsARockListener() async throws {
        let store = try Store()
        _ = try CatalogImporter.importFile(at: repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"),
                                           into: store, skipInvalid: false)
        let catalog = try CatalogCSV.read(url: repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"))
        let data = GenreData(rows: catalog.rows)
        let model = try GenreTraining.train(data, settings: RandomForestSettings(trees: 24, minSamplesLeaf: 3, seed: 1))
        // The library as the real sync stores it, from the fixture pages.
        _ = try await LibrarySync(session: .offline(user: "moosicdemo", fixtures: fixtureLibrary), repository: store).sync(user: "moosicdemo")
        let library = try store.libraryTracks(user: "moosicdemo")
        let profile = try GenreProfile.make(library: library, catalog: store, model: model)

        // 420 distinct tracks; 2 have no features: "Stand By Me" (Road Trip) and "Tais" (Liked
        // Songs) come from genres outside the fixture catalog. Megadeth's "Holy Wars" in Road Trip
        // has a relinked id and is found by artist + title.
        #expect(profile.coverage == GenreProfile.Coverage(libraryTracks: 420, withFeatures: 418))
        #expect(profile.shares.count == 16)
        #expect(abs(profile.shares.map(\.share).reduce(0, +) - 1) < 1e-9)
        let share = Dictionary(uniqueKeysWithValues: profile.shares.map { ($0.genre, $0.share) })
        // By the catalog's labels the library is 110 rock, 62 edm, 47 sad, … 30 death-metal tracks:
        // rock leads, then edm, and rock + death-metal is well above a uniform profile's 2/16.
        #expect(profile.shares.prefix(2).map(\.genre) == ["rock", "edm"], "\(profile.shares.prefix(5))")
        #expect(share["rock"]! + share["death-metal"]! > 0.2)
        #expect(share["classical"]! < 0.03 && share["sleep"]! < 0.03)
    }

    @Test func eachTrackCountsOnceByItsBestEvidenceWeighted() throws {
        let rows = loudAndCalmRows()
        let model = try GenreTraining.train(GenreData(rows: rows), settings: RandomForestSettings(trees: 10, seed: 1))
        let evidence = [
            // Labelled: its labels win over its (loud) features and its artists, shared equally.
            GenreEvidence(labels: ["jazz", "calm"], features: audio(0.9), featuresSource: .catalog, artistGenres: ["loud": 9]),
            // Loud features from the service, but artists the catalog knows: its artists count, as
            // much as they would without features.
            GenreEvidence(features: audio(0.9), featuresSource: .service, artistGenres: ["calm": 3]),
            // By artist: 3 calm, 1 loud.
            GenreEvidence(artistGenres: ["calm": 3, "loud": 1]),
            // Features and nothing else: the forest says loud.
            GenreEvidence(features: audio(0.9), featuresSource: .service),
            GenreEvidence(),
        ]
        let profile = GenreProfile.make(evidence: evidence, model: model, weighting: .forestMean)
        #expect(profile.coverage == GenreProfile.Coverage(libraryTracks: 5, withFeatures: 3, labelled: 1, inferred: 1, byArtist: 2, none: 1))
        #expect(profile.featuresFromCatalog == 1 && profile.featuresFromService == 2)
        let loudOfForest = model.probabilities(rows: GenreFeatures.vector(audio(0.9)))[model.classes.firstIndex(of: "loud")!]
        #expect(loudOfForest > 0.5)
        #expect(abs(profile.share(of: "jazz") - 0.5 / 4) < 1e-9)
        #expect(abs(profile.share(of: "loud") - (loudOfForest + 0.25) / 4) < 1e-9)
        #expect(abs(profile.share(of: "calm") - (0.5 + 1 + 0.75 + (1 - loudOfForest)) / 4) < 1e-9)
        #expect(abs(profile.shares.map(\.share).reduce(0, +) - 1) < 1e-9)
        #expect(profile.featureImportances.count == 11)

        // Each share says where it came from, and its parts add up to it.
        let calm = try #require(profile.shares.first { $0.genre == "calm" })
        #expect(abs(calm.sources.labels - 0.5 / 4) < 1e-9)
        #expect(abs(calm.sources.artists - 1.75 / 4) < 1e-9)
        #expect(abs(calm.sources.forest - (1 - loudOfForest) / 4) < 1e-9)
        for share in profile.shares {
            #expect(abs(share.sources.labels + share.sources.artists + share.sources.forest - share.share) < 1e-12)
        }

        // Weights: a forest track counting double, artists half; sharpness 100 is the forest's top genre.
        let weighted = GenreProfile.make(evidence: evidence, model: model,
                                         weighting: GenreWeighting(labelled: 1, byArtist: 0.5, forest: 2, sharpness: 100))
        #expect(abs(weighted.share(of: "loud") - (2 * 1 + 0.5 * 0.25) / 4) < 1e-6)
        #expect(abs(weighted.share(of: "jazz") - 0.5 / 4) < 1e-9)
        #expect(weighted.coverage == profile.coverage)
    }

    @Test func theListenersOwnMixDecidesWhatTheForestCannotTellApart() {
        let classes = ["a", "b", "c"]
        // Three tracks labelled a; two the forest cannot tell between a and b; one it is sure is c.
        let evidence = [GenreEvidence(labels: ["a"]), GenreEvidence(labels: ["a"]), GenreEvidence(labels: ["a"]),
                        GenreEvidence(features: audio(0.5)), GenreEvidence(features: audio(0.5)), GenreEvidence(features: audio(0.1))]
        let forest: [Int: [Double]] = [3: [0.5, 0.5, 0], 4: [0.5, 0.5, 0], 5: [0, 0, 1]]
        let plain = GenreProfile.make(evidence: evidence, forestProbabilities: forest, classes: classes,
                                      weighting: GenreWeighting(forest: 1, listenerPrior: false))
        #expect(abs(plain.share(of: "a") - 4.0 / 6) < 1e-9)
        #expect(abs(plain.share(of: "b") - 1.0 / 6) < 1e-9)
        let corrected = GenreProfile.make(evidence: evidence, forestProbabilities: forest, classes: classes,
                                          weighting: GenreWeighting(forest: 1, listenerPrior: true, priorSmoothing: 0.1))
        // The listener is an a-listener: the ambiguous tracks go mostly to a (EM settles at
        // 4.871 / 6 and 0.129 / 6 with this smoothing) …
        #expect(abs(corrected.share(of: "a") - 4.871 / 6) < 0.001)
        #expect(abs(corrected.share(of: "b") - 0.129 / 6) < 0.001)
        // … but the prior reweights, it does not erase: the sure c track keeps its whole count.
        #expect(abs(corrected.share(of: "c") - 1.0 / 6) < 1e-9)
        #expect(abs(corrected.shares.map(\.share).reduce(0, +) - 1) < 1e-9)
        #expect(corrected.coverage.inferred == 3 && corrected.coverage.labelled == 3)
        // A track the forest counts without probabilities is not counted.
        let missing = GenreProfile.make(evidence: evidence, forestProbabilities: [3: [0.5, 0.5, 0]], classes: classes)
        #expect(missing.coverage.inferred == 1 && missing.coverage.none == 2)
    }

    @Test func aGenreAlsoCountsForTheBroaderGenresItsNameContains() {
        let families = GenreFamilies(genres: ["rock", "alt-rock", "punk", "punk-rock", "indie", "indie-pop", "pop", "r-n-b", "hip-hop", "trip-hop",
                                              "rock-n-roll"])
        #expect(families.parents == ["alt-rock": ["rock"], "punk-rock": ["punk", "rock"], "indie-pop": ["indie", "pop"],
                                     "rock-n-roll": ["rock"]])
        let spread = families.spread(["alt-rock": 1, "punk-rock": 3, "hip-hop": 2])
        #expect(spread == ["alt-rock": 0.5, "rock": 1.5, "punk-rock": 1, "punk": 1, "hip-hop": 2])

        // In the profile: labelled alt-rock and psych-rock tracks make a rock listener, each source kept.
        let classes = ["rock", "alt-rock", "psych-rock", "jazz"]
        let evidence = [GenreEvidence(labels: ["alt-rock"]), GenreEvidence(labels: ["alt-rock"]), GenreEvidence(artistGenres: ["psych-rock": 2]),
                        GenreEvidence(labels: ["jazz"])]
        let profile = GenreProfile.make(evidence: evidence, forestProbabilities: [:], classes: classes,
                                        weighting: GenreWeighting(families: true))
        #expect(profile.shares.first?.genre == "rock")
        #expect(abs(profile.share(of: "rock") - 1.5 / 4) < 1e-9 && abs(profile.share(of: "jazz") - 1.0 / 4) < 1e-9)
        #expect(abs(profile.shares[0].sources.labels - 1.0 / 4) < 1e-9 && abs(profile.shares[0].sources.artists - 0.5 / 4) < 1e-9)
        let fine = GenreProfile.make(evidence: evidence, forestProbabilities: [:], classes: classes, weighting: GenreWeighting(families: false))
        #expect(fine.share(of: "rock") == 0 && abs(fine.share(of: "alt-rock") - 2.0 / 4) < 1e-9)
    }

    @Test func theForestIsDecodedOnlyForTracksItsCacheLacks() throws {
        let store = try Store()
        let directory = try TemporaryDirectory()
        let model = try GenreTraining.train(GenreData(rows: loudAndCalmRows()), settings: RandomForestSettings(trees: 10, seed: 1))
        let url = directory.url.appendingPathComponent("genre_forest.rf")
        try model.write(to: url)
        let library = ["x", "y", "z"].map { LibraryTrack(id: $0, name: $0, artists: "nobody") }
        let evidence = ListenerEvaluation.FixedEvidence(items: [
            GenreEvidence(features: audio(0.9), featuresSource: .service),
            GenreEvidence(features: audio(0.1), featuresSource: .service),
            GenreEvidence(labels: ["jazz"]),
        ])
        let first = GenreForest(model: model, version: "v1")
        let firstForest = try GenreForest(url: url)
        #expect(!firstForest.isLoaded && firstForest.classes == model.classes && firstForest.featureImportances == model.featureImportances)
        let profile = try ForestGenreProfiler(forest: firstForest, evidence: evidence, cache: store).profile(of: library)
        #expect(firstForest.isLoaded)
        #expect(try store.cachedGenreProbabilities(trackIDs: ["x", "y", "z"], version: firstForest.version).keys.sorted() == ["x", "y"])

        // A new process with the same model file: everything from the cache, the trees never decoded.
        let again = try GenreForest(url: url)
        #expect(again.version == firstForest.version)
        let cached = try ForestGenreProfiler(forest: again, evidence: evidence, cache: store).profile(of: library)
        #expect(!again.isLoaded)
        for (a, b) in zip(profile.shares, cached.shares) {
            #expect(a.genre == b.genre && abs(a.share - b.share) < 1e-6)
        }
        #expect(cached.featureImportances == profile.featureImportances)

        // Another model's version: computed anew, and the old version's rows dropped.
        _ = try ForestGenreProfiler(forest: first, evidence: evidence, cache: store).profile(of: library)
        #expect(try store.cachedGenreProbabilities(trackIDs: ["x", "y"], version: firstForest.version).isEmpty)
        #expect(try store.cachedGenreProbabilities(trackIDs: ["x", "y"], version: "v1").count == 2)
    }

    @Test func theShippedForestIsNamedAndVersionedFromItsHeaderAlone() throws {
        let url = repositoryRoot.appendingPathComponent("Models/genre_forest.rf")
        let forest = try GenreForest(url: url)
        #expect(forest.classes.count == 114 && forest.featureNames == GenreFeatures.names && !forest.isLoaded)
        // The version is the file's stored checksum, its last 8 bytes (little-endian).
        let bytes = try Data(contentsOf: url)
        let checksum = bytes.suffix(8).reversed().map { String(format: "%02x", $0) }.joined()
        #expect(forest.version == checksum)
        #expect(abs(forest.featureImportances.reduce(0, +) - 1) < 1e-9)
    }

    @Test func aForeignModelFileIsRefusedBeforeAnythingRuns() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("genre_forest.rf", "not a forest")
        #expect(throws: MoosicError.self) { try GenreForest(url: url) }
        #expect(throws: MoosicError.self) { try GenreForest(url: directory.url.appendingPathComponent("absent.rf")) }
    }

    @Test func theStoreLookupTriesIdThenISRCThenArtistAndTitle() throws {
        let store = try Store()
        let directory = try TemporaryDirectory()
        let file = try directory.write("c.csv", [
            catalogHeader,
            catalogLine(id: "5SuOikwiRyPMVoIQDJUgSV", ["artists": "Megadeth", "track_name": "Holy Wars...The Punishment Due", "valence": "0.2"]),
            catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A", ["artists": "Gen Hoshino", "track_name": "Comedy", "valence": "0.7"]),
        ].joined(separator: "\n") + "\n")
        _ = try CatalogImporter.importFile(at: file, into: store, skipInvalid: false)
        try store.recordISRC("JPV750700001", track: "4qPNDBW1i3p13qLCt0Ki3A")
        let lookup = store
        #expect(try lookup.features(for: LibraryTrack(id: "4qPNDBW1i3p13qLCt0Ki3A", name: "?", artists: "?"))?.valence == 0.7)
        #expect(try lookup.features(for: LibraryTrack(id: "0000000000000000000000", name: "?", artists: "?",
                                                      isrc: "jpv750700001"))?.valence == 0.7)
        #expect(try lookup.features(for: LibraryTrack(id: "1111111111111111111111", name: "Holy Wars...The Punishment Due - Remastered",
                                                      artists: "Megadeth;Someone"))?.valence == 0.2)
        #expect(try lookup.features(for: LibraryTrack(id: "2222222222222222222222", name: "Tais", artists: "Seekae",
                                                      isrc: "XX0000000000")) == nil)
    }
}
