import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicApp

@Suite struct ListenerEvaluationTests {
    static let catalogGenres = ["acoustic", "alt-rock", "alternative", "hip-hop", "indie", "indie-pop", "k-pop", "piano", "pop",
                                "r-n-b", "rock", "rock-n-roll", "trip-hop", "classical", "electronic"]

    @Test func spotifyTagsCountForTheGenresWhoseWordsTheyContainAndTheirSynonyms() {
        let tags = SpotifyGenreTags(genres: Self.catalogGenres)
        #expect(tags.genres(of: "detroit hip hop") == ["hip-hop"])
        #expect(tags.genres(of: "rap") == ["hip-hop"])
        #expect(tags.genres(of: "pop rap") == ["pop", "hip-hop"])
        #expect(tags.genres(of: "r&b") == ["r-n-b"])
        #expect(tags.genres(of: "alternative r&b") == ["alternative", "r-n-b"])
        #expect(tags.genres(of: "indie pop") == ["indie", "pop", "indie-pop"])
        #expect(tags.genres(of: "k-pop") == ["k-pop", "pop"])
        // "trip hop" is trip-hop, not hip-hop: every word of the genre must be a word of the tag.
        #expect(tags.genres(of: "trip hop") == ["trip-hop"])
        #expect(tags.genres(of: "alternative rock") == ["alternative", "rock", "alt-rock"])
        #expect(tags.genres(of: "rock and roll") == ["rock", "rock-n-roll"])
        #expect(tags.genres(of: "Classical Piano") == ["classical", "piano"])
        #expect(tags.genres(of: "electronica") == ["electronic"])
        // Words, not letters: "rapper" is no rap, "poprock" no pop.
        #expect(tags.genres(of: "rapper").isEmpty && tags.genres(of: "vaporwave").isEmpty)
        // A synonym's genre counts only where the catalog has it.
        #expect(SpotifyGenreTags(genres: ["pop"]).genres(of: "rap").isEmpty)
    }

    static let header = "listener,track_id,track_name,artists,artist_genres," + GenreFeatures.names.joined(separator: ",")
    static let loud = "0.5,0.9,1,-5,1,0.1,0.9,0,0.1,0.9,120"
    static let calm = "0.5,0.1,1,-5,1,0.1,0.1,0,0.1,0.1,120"

    @Test func aListenersFileIsReadAsDistinctTracksWithTheirTagsAndValidFeatures() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("l.csv", [
            Self.header,
            "ann,id1,Song,\"Artist A,Artist B\",\"indie pop,rap\",\(Self.loud)",
            "ann,id1,Song,\"Artist A,Artist B\",\"indie pop,rap\",\(Self.loud)",
            "ann,id2,Other,Artist C,,\(Self.calm.replacingOccurrences(of: "0.1,0.1,120", with: "0.1,1.5,120"))",
            "bob,id3,Third,Artist D,rock,,,,,,,,,,,",
        ].joined(separator: "\n") + "\n")
        let listeners = try ListenerEvaluation.read(url: file)
        #expect(listeners.map(\.name) == ["ann", "bob"])
        #expect(listeners[0].library == [LibraryTrack(id: "id1", name: "Song", artists: "Artist A;Artist B"),
                                         LibraryTrack(id: "id2", name: "Other", artists: "Artist C")])
        #expect(listeners[0].tags == [["indie pop", "rap"], []])
        // id2's valence is out of range and bob's track has none: no features.
        #expect(listeners[0].features.keys.sorted() == ["id1"] && listeners[1].features.isEmpty)
        let truth = ListenerEvaluation.truth(listeners[0], genres: Self.catalogGenres)
        // One track with tags: indie pop → indie, pop, indie-pop; rap → hip-hop: a quarter each.
        #expect(truth == ["indie": 0.25, "pop": 0.25, "indie-pop": 0.25, "hip-hop": 0.25])

        let bad = try directory.write("bad.csv", "listener,track_id\nann,id1\n")
        let error = #expect(throws: MoosicError.self) { try ListenerEvaluation.read(url: bad) }
        guard case .invalidData(let message, _)? = error else {
            Issue.record("a file without the columns is invalid data, not \(String(describing: error))")
            return
        }
        #expect(message.contains("artist_genres") && message.contains("danceability"))
    }

    @Test func theThreeModesUseTheirOwnEvidence() throws {
        // A catalog of loud rock and calm piano songs by two artists; a forest trained on it.
        var lines = [catalogHeader]
        var rows: [CatalogRow] = []
        for i in 0..<60 {
            let rock = i % 2 == 0
            let id = String(format: "cat%019d", i)
            let f = (rock ? Self.loud : Self.calm).split(separator: ",").map(String.init)
            lines.append(catalogLine(id: id, genre: rock ? "rock" : "piano", [
                "artists": rock ? "Rocker" : "Pianist", "track_name": "song \(i)", "energy": f[1], "acousticness": f[6], "valence": f[9],
            ]))
        }
        let directory = try TemporaryDirectory()
        let catalogFile = try directory.write("c.csv", lines.joined(separator: "\n") + "\n")
        rows = try CatalogCSV.read(url: catalogFile).rows
        let store = try Store()
        _ = try CatalogImporter.importFile(at: catalogFile, into: store, skipInvalid: false)
        let model = try GenreTraining.train(GenreData(rows: rows), settings: RandomForestSettings(trees: 10, seed: 1))
        let forest = GenreForest(model: model, version: "test")

        // A listener: one catalog track, one new song by a known artist, two unknown tracks with features.
        let file = try directory.write("l.csv", [
            Self.header,
            "ann,cat0000000000000000000,song 0,Rocker,rock,\(Self.loud)",
            "ann,new1,New,Rocker,rock,\(Self.loud)",
            "ann,new2,Unknown,Nobody,rock,\(Self.loud)",
            "ann,new3,Unknown 2,Nobody,rock,\(Self.loud)",
        ].joined(separator: "\n") + "\n")
        let listeners = try ListenerEvaluation.read(url: file)
        let report = try ListenerEvaluation.run(listeners: listeners, store: store, forest: forest)
        let byMode = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.mode, $0) })
        #expect(byMode[.offline]?.coverage == GenreProfile.Coverage(libraryTracks: 4, withFeatures: 1, labelled: 1, inferred: 0, byArtist: 1, none: 2))
        #expect(byMode[.service]?.coverage == GenreProfile.Coverage(libraryTracks: 4, withFeatures: 4, labelled: 1, inferred: 2, byArtist: 1, none: 0))
        #expect(byMode[.featuresOnly]?.coverage == GenreProfile.Coverage(libraryTracks: 4, withFeatures: 4, labelled: 0, inferred: 4, byArtist: 0, none: 0))
        // Everything points at rock, the truth's only genre: a full hit, rock first.
        for row in report.rows {
            #expect(row.top5.first == "rock" && row.top1 && row.truthTop10 == ["rock"], "\(row.mode)")
            #expect(abs(row.hitsAt5 - 0.2) < 1e-9, "\(row.mode)")
        }
        #expect(report.summaries.map(\.mode) == ListenerEvaluation.Mode.allCases && report.grid.isEmpty)
        // The service's features went into the cache, as its answers do.
        #expect(try store.cachedFeatures(track: "new2") != nil)
    }
}
