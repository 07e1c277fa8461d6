import Foundation
import GRDB
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicStore

func someFeatures(energy: Double = 0.5, loudness: Double = -8) -> AudioFeatures {
    AudioFeatures(danceability: 0.4, energy: energy, key: 2, loudness: loudness, mode: 0, speechiness: 0.05,
                  acousticness: 0.3, instrumentalness: 0.01, liveness: 0.2, valence: 0.6, tempo: 101)
}

@Suite struct FeatureCacheTests {
    let catalogID = "4qPNDBW1i3p13qLCt0Ki3A"

    func store() throws -> Store {
        let store = try Store()
        let track = CatalogTrack(id: catalogID, name: "Holy Wars", artists: "Megadeth", album: "Rust", popularity: 70,
                                 durationMs: 1, explicit: false, features: someFeatures(energy: 0.9), timeSignature: 4)
        _ = try CatalogImporter.write(rows: [CatalogRow(track: track, genre: "metal", line: 2),
                                             CatalogRow(track: track, genre: "rock", line: 3)], into: store)
        let liked: [(track: LibraryTrack, addedAt: String?)] = [
            (LibraryTrack(id: catalogID, name: "Holy Wars", artists: "Megadeth"), nil),
            // Another id, but the catalog's artist and title: the catalog has it.
            (LibraryTrack(id: "1111111111111111111111", name: "Holy Wars - Remastered", artists: "Megadeth"), nil),
            (LibraryTrack(id: "2222222222222222222222", name: "Symphony of Destruction", artists: "Megadeth;Guest"), nil),
            (LibraryTrack(id: "3333333333333333333333", name: "Unknown", artists: "Nobody"), nil),
        ]
        try store.saveLibrary(SyncedLibrary(user: "u", displayName: nil, syncedAt: Date(), playlists: [], liked: liked))
        return store
    }

    @Test func onlyTracksTheCatalogLacksAreWantedAndAMissIsBelievedUntilItIsOld() throws {
        let store = try store()
        let now = Date()
        #expect(try store.tracksWantingFeatures(user: "u", missesSince: now).map(\.id) == ["2222222222222222222222", "3333333333333333333333"])
        try store.recordFeatures(found: ["2222222222222222222222": someFeatures()], missing: ["3333333333333333333333"],
                                 source: "test", at: now)
        #expect(try store.tracksWantingFeatures(user: "u", missesSince: now.addingTimeInterval(-60)).isEmpty)
        #expect(try store.tracksWantingFeatures(user: "u", missesSince: now.addingTimeInterval(60)).map(\.id) == ["3333333333333333333333"])
        // A later miss never overwrites known features.
        try store.recordFeatures(found: [:], missing: ["2222222222222222222222"], source: "test", at: now)
        #expect(try store.cachedFeatures(track: "2222222222222222222222") == someFeatures())
        #expect(try store.featureCacheState() == Store.FeatureCacheState(found: 1, misses: 1, outOfRange: 0, integrity: "ok"))
    }

    @Test func theStoreRefusesOutOfRangeFeaturesWhateverTheCaller() throws {
        let store = try store()
        for bad in [someFeatures(energy: 1.7), someFeatures(loudness: 12), someFeatures(energy: .nan)] {
            #expect(throws: MoosicError.self) {
                try store.recordFeatures(found: ["2222222222222222222222": bad], missing: [], source: "test", at: Date())
            }
        }
        #expect(try store.featureCacheState() == Store.FeatureCacheState(found: 0, misses: 0, outOfRange: 0, integrity: "ok"))
        // Nor can SQL put one there behind its back.
        #expect(throws: MoosicError.self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO track_features (track_id, source, fetched_at, found, danceability) VALUES ('x', 's', 't', 0, 0.5)")
            }
        }
    }

    @Test func evidenceHasLabelsFeaturesAndTheArtistsGenres() throws {
        let store = try store()
        try store.recordFeatures(found: ["2222222222222222222222": someFeatures()], missing: [], source: "test", at: Date())
        let evidence = try store.genreEvidence(for: try store.libraryTracks(user: "u"))
        // Liked Songs without a date come in id order: 1111… (by artist + title), 2222…, 3333…, 4qPN… (by id).
        #expect(evidence.map(\.labels) == [["metal", "rock"], [], [], ["metal", "rock"]])
        #expect(evidence.map(\.featuresSource) == [.catalog, .service, nil, .catalog])
        #expect(evidence[1].features == someFeatures())
        #expect(evidence[1].artistGenres == ["metal": 1, "rock": 1])
        #expect(evidence[2].artistGenres.isEmpty)
    }

    @Test func anImportChangesTheArtistsGenresTheNextProfileReads() throws {
        let store = try store()
        let library = try store.libraryTracks(user: "u")
        #expect(try store.genreEvidence(for: library)[1].artistGenres == ["metal": 1, "rock": 1])
        // Guest gets a jazz song, Megadeth a second metal one: the next evidence counts both.
        let jazz = CatalogTrack(id: "5555555555555555555555", name: "Blue", artists: "Guest", album: "B", popularity: 1,
                                durationMs: 1, explicit: false, features: someFeatures(), timeSignature: 4)
        let metal = CatalogTrack(id: "6666666666666666666666", name: "Peace Sells", artists: "Megadeth", album: "P", popularity: 1,
                                 durationMs: 1, explicit: false, features: someFeatures(), timeSignature: 4)
        _ = try CatalogImporter.write(rows: [CatalogRow(track: jazz, genre: "jazz", line: 2), CatalogRow(track: metal, genre: "metal", line: 3)],
                                      into: store)
        #expect(try store.genreEvidence(for: library)[1].artistGenres == ["metal": 2, "rock": 1, "jazz": 1])
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM artist_genre") } == 3)  // megadeth: metal, rock; guest: jazz
    }
}
