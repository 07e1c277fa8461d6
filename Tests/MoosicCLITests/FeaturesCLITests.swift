import FeaturesEmulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotifyEmulator
import Testing
import TestSupport
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicApp

/// The features service end to end: the built binary against the loopback Spotify (serving the
/// fixture listener `moosicfar`, whose library is mostly outside the catalog) and the loopback
/// features service (serving the hidden tracks' features from Fixtures/spotify/moosicfar/features.json).
@Suite struct FeaturesCLITests {
    static let fixtures = CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/spotify/moosicfar")
    static let user = "moosicfar"

    /// The hidden tracks' features, as the fixture script wrote them.
    static func hiddenFeatures() throws -> [String: AudioFeatures] {
        try JSONDecoder().decode([String: AudioFeatures].self, from: Data(contentsOf: fixtures.appendingPathComponent("features.json")))
    }

    struct Output: Decodable {
        struct Coverage: Decodable, Equatable { var library_tracks, with_features, labelled, inferred, by_artist, none: Int }
        struct Sync: Decodable { var requests: Int; var feature_requests: Int }
        struct Evidence: Decodable {
            struct Importance: Decodable { var feature: String; var importance: Double }
            var features_from_catalog: Int; var features_from_service: Int; var feature_importances: [Importance]
        }
        struct Genre: Decodable { var genre: String; var share: Double }
        var coverage: Coverage
        var sync: Sync
        var genre_evidence: Evidence
        var genres: [Genre]
        var notes: [String]
    }

    struct Setup {
        let cli: CLIRunner
        let spotify: SpotifyEmulator
        let features: FeaturesEmulator
        var environment: [String: String] { spotify.environment.merging(features.environment) { $1 } }

        /// A logged-in `moosicfar` with the fixture catalog imported (unless `catalog` is false:
        /// then the first online run imports the shipped full catalog).
        init(catalog: Bool = true) async throws {
            cli = try CLIRunner()
            spotify = try SpotifyEmulator(fixtures: FeaturesCLITests.fixtures,
                                          catalog: CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv"))
            features = try FeaturesEmulator(known: try FeaturesCLITests.hiddenFeatures())
            if catalog { #expect(try cli.run(["catalog", "import", "Fixtures/catalog.csv"]).status == 0) }
            let running = try cli.start(["auth", "login", "--no-browser", "--port", "0"], environment: spotify.environment)
            let line = try running.stderrLine { $0.hasPrefix(spotify.accountsURL.absoluteString + "/authorize?") }
            _ = try await URLSession.shared.data(from: URL(string: line)!)
            let login = running.wait()
            #expect(login.status == 0, "\(login.stderr)")
        }

        func recommend(_ extra: [String] = [], environment: [String: String]? = nil) throws -> (CLIRunner.Result, Output?) {
            let result = try cli.run(["--user", FeaturesCLITests.user, "--photo", "Fixtures/photos/happy-1.jpg", "--dry-run", "--json"] + extra,
                                     environment: environment ?? self.environment)
            return (result, result.status == 0 ? try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)) : nil)
        }

        func store() throws -> Store { try Store(environment: MoosicEnvironment(home: cli.home)) }

        /// The store is sound and holds no out-of-range feature.
        func expectSoundStore(_ comment: Comment? = nil) throws {
            let state = try store().featureCacheState()
            #expect(state.integrity == "ok", comment)
            #expect(state.outOfRange == 0, comment)
        }
    }

    struct SyncOutput: Decodable {
        struct Features: Decodable { var wanted, asked, found, missing, rejected, not_asked, requests: Int; var notes: [String] }
        var requests: Int
        var features: Features?
    }

    @Test func aFirstSyncAsksForTheHiddenTracksAndAnUnchangedResyncAsksForNothing() async throws {
        let s = try await Setup()
        let first = try s.cli.run(["library", "sync", "--user", Self.user, "--json"], environment: s.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try JSONDecoder().decode(SyncOutput.self, from: Data(first.stdout.utf8))
        let hidden = try Self.hiddenFeatures().count
        #expect(report.features?.wanted == hidden && report.features?.found == hidden)
        #expect(report.features?.requests == (hidden + 39) / 40)
        #expect(s.features.requests.allSatisfy { $0.ids.count <= 40 } && s.features.oversizedRequests == 0)
        // Only Spotify track ids of the library are sent.
        let library = Set(try s.store().libraryTracks(user: Self.user).map(\.id))
        #expect(Set(s.features.requests.flatMap(\.ids)).isSubset(of: library))
        let someID = try Self.hiddenFeatures().keys.sorted()[0]
        let cached = try s.store().cachedFeatures(track: someID)
        let served = try Self.hiddenFeatures()[someID]!
        #expect(cached != nil && abs((cached?.energy ?? -1) - served.energy) < 1e-9)

        s.features.clearLog()
        let again = try s.cli.run(["library", "sync", "--user", Self.user, "--json"], environment: s.environment)
        let second = try JSONDecoder().decode(SyncOutput.self, from: Data(again.stdout.utf8))
        #expect(second.features?.requests == 0 && second.features?.wanted == 0)
        #expect(s.features.requests.isEmpty)
        print("moosicfar sync requests: first \(report.requests) Spotify + \(report.features?.requests ?? -1) features; "
              + "unchanged re-sync \(second.requests) Spotify + \(second.features?.requests ?? -1) features")

        // The recommendation counts every track by its best evidence and asks for nothing more: the
        // hidden tracks now have features, but their artists are in the catalog, and an artist's
        // genres count the same with or without features (the forest is for what nothing else covers).
        let (result, output) = try s.recommend()
        #expect(result.status == 0, "\(result.stderr)")
        let expected = Output.Coverage(library_tracks: 300, with_features: 300, labelled: 300 - hidden, inferred: 0, by_artist: hidden, none: 0)
        #expect(output?.coverage == expected)
        #expect(output?.sync.feature_requests == 0)
        #expect(output?.genre_evidence.features_from_service == hidden)
        #expect(output?.genre_evidence.feature_importances.count == 11)
        let top = Set((output?.genres ?? []).prefix(3).map(\.genre))
        #expect(top.isSubset(of: ["jazz", "classical", "hip-hop", "sad", "piano", "acoustic", "chill"]), "\(top)")
        #expect(s.features.requests.isEmpty)

        // Offline: the cache only, never the service.
        let offline = try s.recommend(["--offline"])
        #expect(offline.0.status == 0, "\(offline.0.stderr)")
        #expect(offline.1?.coverage == expected)
        #expect(s.features.requests.isEmpty)
        try s.expectSoundStore()
    }

    @Test func everyFaultOfTheServiceLeavesExit0ANoteAndASoundStore() async throws {
        // One home: a fault stores nothing (FeaturesClientTests), so each run asks again; the
        // out-of-range item comes last since its answer fills the cache.
        let cases: [(FeaturesEmulator.Fault, Int, String)] = [
            (.rateLimit(retryAfter: 3600), 1, "rate-limiting moosic"),
            (.serverError(status: 500), 3, "answered 500"),
            (.dropConnection, 3, "3 tries"),
            (.malformedBody, 1, "is not {\"content\":[…]}"),
            (.truncatedBody, 1, "is not {\"content\":[…]}"),
            (.outOfRangeItem, 1, "values outside the catalog's ranges"),
        ]
        let s = try await Setup()
        let hidden = try Self.hiddenFeatures().count
        for (fault, times, message) in cases {
            s.features.inject(fault, times: times)
            let (result, output) = try s.recommend()
            #expect(result.status == 0, "\(fault): \(result.stderr)")
            #expect(result.stderr.contains("moosic: note: audio features: "), "\(fault): \(result.stderr)")
            #expect(output?.notes.contains { $0.hasPrefix("audio features: ") && $0.contains(message) } == true, "\(fault): \(output?.notes ?? [])")
            // The run went on with what is known: labels, and the artists of the tracks without features.
            #expect(output?.coverage.labelled == 300 - hidden, "\(fault)")
            #expect(output?.coverage.with_features == 300 - hidden + (fault == .outOfRangeItem ? hidden - 1 : 0), "\(fault)")
            #expect(output?.coverage.by_artist == hidden, "\(fault)")
            try s.expectSoundStore("\(fault)")
        }
        // A slow answer within the timeout is just slow.
        let slow = try await Setup()
        slow.features.inject(.slow(seconds: 1))
        let (result, output) = try slow.recommend()
        #expect(result.status == 0 && output?.notes.isEmpty == true, "\(result.stderr)")
        #expect(output?.coverage.with_features == 300)
    }

    @Test func anEmptyMOOSIC_FEATURES_URLTurnsTheServiceOff() async throws {
        let s = try await Setup()
        var environment = s.environment
        environment["MOOSIC_FEATURES_URL"] = ""
        let (result, output) = try s.recommend(environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(output?.sync.feature_requests == 0 && output?.coverage.inferred == 0)
        // The hidden tracks still count, by their artists' catalog genres.
        #expect((output?.coverage.by_artist ?? 0) > 0)
        #expect(s.features.requests.isEmpty)
        environment["MOOSIC_FEATURES_URL"] = "ftp://nowhere"
        #expect(try s.recommend(environment: environment).0.status == 78)
    }

    /// A fresh home, no `catalog import`: the first online run imports the shipped catalog. The
    /// models folder here holds the shipped models and, as spotify-tracks.csv.xz, the fixture catalog
    /// compressed by xz (the real 17 MB one takes a debug build a minute; ShippedCatalogTests reads it).
    @Test func aFreshHomeImportsTheShippedCatalogOnFirstUse() async throws {
        let s = try await Setup(catalog: false)
        let models = s.cli.home.deletingLastPathComponent().appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: CLIRunner.repositoryRoot.appendingPathComponent("Models").path)
        where name != "spotify-tracks.csv.xz" {
            try FileManager.default.createSymbolicLink(at: models.appendingPathComponent(name),
                                                       withDestinationURL: CLIRunner.repositoryRoot.appendingPathComponent("Models/\(name)"))
        }
        let xz = Process()
        xz.executableURL = URL(fileURLWithPath: "/usr/bin/xz")
        xz.arguments = ["-1", "-c", CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/catalog.csv").path]
        let compressed = Pipe()
        xz.standardOutput = compressed
        try xz.run()
        let bytes = compressed.fileHandleForReading.readDataToEndOfFile()
        xz.waitUntilExit()
        try bytes.write(to: models.appendingPathComponent("spotify-tracks.csv.xz"))

        var environment = s.environment
        environment["MOOSIC_MODELS"] = models.path
        let (result, output) = try s.recommend(environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        // Not a terminal: no progress line.
        #expect(!result.stderr.contains("importing the catalog"), "\(result.stderr)")
        let stats = try s.cli.run(["catalog", "stats", "--json"])
        struct Stats: Decodable { var tracks: Int }
        #expect(try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8)).tracks == 13_131)
        #expect(output?.coverage == Output.Coverage(library_tracks: 300, with_features: 300, labelled: 67, inferred: 0, by_artist: 233, none: 0))

        // A damaged shipped catalog is a broken installation (78), and the store stays empty.
        let other = try CLIRunner()
        try Data(bytes.prefix(bytes.count / 2)).write(to: models.appendingPathComponent("spotify-tracks.csv.xz"))
        let damaged = try other.run(["--user", Self.user, "--photo", "Fixtures/photos/happy-1.jpg", "--dry-run"], environment: environment)
        #expect(damaged.status == 78 && damaged.stderr.contains("is damaged"), "\(damaged.stderr)")
    }
}
