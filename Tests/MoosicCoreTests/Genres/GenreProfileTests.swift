import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
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
        #expect(calmOnly.shares == [GenreShare(genre: "calm", share: 1)])
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
            // Labelled: its labels win over its (loud) features, shared equally.
            GenreEvidence(labels: ["jazz", "calm"], features: audio(0.9), featuresSource: .catalog, artistGenres: ["loud": 9]),
            // Inferred from the service's features: the forest says loud.
            GenreEvidence(features: audio(0.9), featuresSource: .service, artistGenres: ["calm": 3]),
            // By artist: 3 calm, 1 loud.
            GenreEvidence(artistGenres: ["calm": 3, "loud": 1]),
            GenreEvidence(),
        ]
        let profile = GenreProfile.make(evidence: evidence, model: model, weighting: .forestMean)
        #expect(profile.coverage == GenreProfile.Coverage(libraryTracks: 4, withFeatures: 2, labelled: 1, inferred: 1, byArtist: 1, none: 1))
        #expect(profile.featuresFromCatalog == 1 && profile.featuresFromService == 1)
        let loudOfForest = model.probabilities(rows: GenreFeatures.vector(audio(0.9)))[model.classes.firstIndex(of: "loud")!]
        #expect(abs(profile.share(of: "jazz") - 0.5 / 3) < 1e-9)
        #expect(abs(profile.share(of: "loud") - (loudOfForest + 0.25) / 3) < 1e-9)
        #expect(abs(profile.shares.map(\.share).reduce(0, +) - 1) < 1e-9)
        #expect(profile.featureImportances.count == 11)

        // Weights: an inferred track counting double, artists half; sharpness 100 is the forest's top genre.
        let weighted = GenreProfile.make(evidence: evidence, model: model,
                                         weighting: GenreWeighting(labelled: 1, inferred: 2, sharpness: 100, byArtist: 0.5))
        #expect(abs(weighted.share(of: "loud") - (2 * 1 + 0.5 * 0.25) / 3.5) < 1e-6)
        #expect(abs(weighted.share(of: "jazz") - 0.5 / 3.5) < 1e-9)

        // artist_mix 1: an inferred track whose artists the catalog knows goes by its artists.
        let mixed = GenreProfile.make(evidence: evidence, model: model,
                                      weighting: GenreWeighting(labelled: 1, inferred: 1, sharpness: 1, byArtist: 1, artistMix: 1))
        #expect(abs(mixed.share(of: "calm") - (0.5 + 1 + 0.75) / 3) < 1e-9)
        #expect(mixed.coverage == profile.coverage)
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
