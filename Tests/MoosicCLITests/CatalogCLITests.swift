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

/// End-to-end: the built binary, a scratch MOOSIC_HOME, the contract's exit codes and messages.
@Suite struct CatalogCLITests {
    let home: URL
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
        home = cli.home
    }

    func scratchFile(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let url = home.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    struct Stats: Decodable {
        struct Genre: Decodable { var genre: String; var tracks: Int }
        var tracks: Int
        var genres: Int
        var tracks_per_genre: [Genre]
    }

    @Test func importThenStatsAsJSON() throws {
        let imported = try cli.run(["catalog", "import", "Fixtures/catalog.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("new tracks"))
        let stats = try cli.run(["catalog", "stats", "--json"])
        #expect(stats.status == 0)
        let decoded = try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8))
        #expect(decoded.genres == 16)
        #expect(decoded.tracks > 10_000)
        #expect(decoded.tracks_per_genre.contains { $0.genre == "death-metal" && $0.tracks > 800 })

        let again = try cli.run(["catalog", "import", "Fixtures/catalog.csv", "--json"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("\"tracks_added\":0"))
        #expect(again.stdout.contains("\"tracks_updated\":0"))
    }

    /// Runs a compressor (`xz`, `gzip`) on a file of the test, leaving `<file>.xz` / `<file>.gz`.
    func compress(_ tool: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-k", "-f", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return path + (tool == "xz" ? ".xz" : ".gz")
    }

    /// `.xz` and `.gz` catalogs are read as the plain CSV they hold (decompressed as they are read).
    @Test(arguments: ["xz", "gzip"]) func compressedCatalogsImportLikeThePlainFile(tool: String) throws {
        let rows = (0..<300).map { i in
            catalogLine(id: String(format: "5SuOikwiRyPMVoIQD%05d", i), genre: i % 3 == 0 ? "rock" : "jazz",
                        ["track_name": "Song \(i)", "valence": String(format: "%.3f", Double(i % 100) / 100)])
        }
        let plain = try scratchFile("small.csv", ([catalogHeader] + rows).joined(separator: "\r\n") + "\r\n")
        let compressed = try compress(tool, plain)
        let result = try cli.run(["catalog", "import", compressed, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"rows_read\":300"))
        #expect(result.stdout.contains("\"tracks_added\":300"))
        #expect(result.stdout.contains("\"genre_links_added\":300"))
        // The plain file after it changes nothing: the same rows.
        let again = try cli.run(["catalog", "import", plain, "--json"])
        #expect(again.stdout.contains("\"tracks_added\":0"), "\(again.stdout)")
        #expect(again.stdout.contains("\"tracks_updated\":0"))
        #expect(again.stdout.contains("\"tracks_unchanged\":300"))
    }

    /// A compressed file whose rows are invalid is refused like a plain one, naming the line.
    @Test func anInvalidRowInACompressedFileIsNamed() throws {
        let plain = try scratchFile("bad.csv", [catalogHeader, catalogLine(), catalogLine(id: "4SuOikwiRyPMVoIQDJUgSV", ["valence": "1.7"])]
            .joined(separator: "\n") + "\n")
        let result = try cli.run(["catalog", "import", try compress("gzip", plain)])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.csv.gz has 1 invalid row(s)"), "\(result.stderr)")
        #expect(result.stderr.contains("line 3, column valence"))
    }

    /// A file that only pretends to be compressed is bad input data (65), one line, naming it.
    @Test(arguments: ["fake.csv.xz", "fake.csv.gz"]) func aDamagedCompressedFileExits65(name: String) throws {
        let path = try scratchFile(name, catalogHeader + "\n" + catalogLine() + "\n")
        let result = try cli.run(["catalog", "import", path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("moosic: error: \(path) is "), "\(result.stderr)")
        #expect(result.stderr.contains(name.hasSuffix(".xz") ? "not an xz file" : "not a gzip file"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let missing = try cli.run(["catalog", "import", path + ".none.gz"])
        #expect(missing.status == 66)
    }

    @Test func invalidFileExits65WithOneLineNamingLineAndColumn() throws {
        let header = "track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre"
        let good = "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic"
        let bad = good.replacingOccurrences(of: "0.715", with: "1.715").replacingOccurrences(of: "5SuOikwi", with: "4SuOikwi")
        let path = try scratchFile("bad.csv", [header, good, bad].joined(separator: "\n") + "\n")
        let result = try cli.run(["catalog", "import", path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("moosic: error: "))
        #expect(result.stderr.contains("line 3, column valence"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let stats = try cli.run(["catalog", "stats", "--json"])
        #expect(stats.stdout.contains("\"tracks\":0"))

        let skipped = try cli.run(["catalog", "import", path, "--skip-invalid"])
        #expect(skipped.status == 0)
        #expect(skipped.stdout.contains("skipped 1 invalid row"))
    }

    @Test func missingFileExits66() throws {
        let result = try cli.run(["catalog", "import", "/nonexistent/tracks.csv"])
        #expect(result.status == 66)
        #expect(result.stderr == "moosic: error: no such file: /nonexistent/tracks.csv\n")
    }

    @Test func usageErrorsExit64WithOneLine() throws {
        for arguments in [["catalog", "import"], ["catalog", "stats", "--bogus"], ["no-such-command"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.hasPrefix("moosic: error: "))
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func helpExitsZero() throws {
        let result = try cli.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("catalog"))
    }
}
