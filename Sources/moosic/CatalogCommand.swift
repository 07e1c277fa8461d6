import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Manage the local catalog of songs and their audio features.",
        subcommands: [Import.self, Stats.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV with the columns of the Spotify Tracks dataset (plain, .xz or .gz).",
            discussion: """
                Every row is validated; a file with invalid rows is refused (exit 65) unless \
                --skip-invalid. The import is one transaction: refused or interrupted, it leaves the \
                store as it was. Importing the same file again changes nothing.
                """
        )

        @Argument(help: "The CSV file (.xz and .gz files are decompressed as they are read).") var csv: String
        @Flag(help: "Import the valid rows and report the invalid ones.") var skipInvalid = false
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let progress = ProgressReporter(label: "importing \(URL(fileURLWithPath: csv).lastPathComponent)", json: json)
            let imported = try ImportCatalog.run(file: URL(fileURLWithPath: csv), skipInvalid: skipInvalid,
                                                 installation: Installation.current(), progress: progress)
            if let problem = imported.emotionProblem {
                FileHandle.standardError.write(Data("moosic: warning: emotion scores not updated: \(problem.message)\n".utf8))
            }
            let report = imported.catalog, emotion = imported.emotion
            if json {
                var output = ImportJSON(report)
                output.emotionScored = imported.emotionScored
                output.emotionSeconds = emotion?.seconds
                output.emotionInferenceSeconds = emotion?.inferenceSeconds
                try Output.printJSON(output)
                return
            }
            print("imported \(csv): \(report.rowsRead - report.invalidRows) valid rows → "
                  + "\(report.tracksAdded) new tracks, \(report.tracksUpdated) updated, "
                  + "\(report.tracksUnchanged) unchanged, \(report.genreLinksAdded) new genre links")
            if report.invalidRows > 0 {
                print("skipped \(report.invalidRows) invalid row(s):")
                for problem in report.problems { print("  \(problem)") }
                if report.invalidRows > report.problems.count {
                    print("  … and more (\(report.invalidRows) rows in all)")
                }
            }
            if let emotion, let scored = imported.emotionScored {
                print(String(format: "scored the emotion of %d track(s) (%d while importing; the rescoring pass took %.2f s, network %.3f s)",
                             scored, report.emotionScored, emotion.seconds, emotion.inferenceSeconds))
            }
        }

        struct ImportJSON: Encodable {
            var rowsRead, invalidRows, tracksAdded, tracksUpdated, tracksUnchanged, genreLinksAdded: Int
            var problems: [String]
            var emotionScored: Int?
            var emotionSeconds: Double?
            var emotionInferenceSeconds: Double?
            init(_ r: CatalogImportReport) {
                rowsRead = r.rowsRead; invalidRows = r.invalidRows; tracksAdded = r.tracksAdded
                tracksUpdated = r.tracksUpdated; tracksUnchanged = r.tracksUnchanged
                genreLinksAdded = r.genreLinksAdded; problems = r.problems.map(\.description)
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show how many tracks and genres the catalog holds.")

        @Flag(help: "Print the statistics as JSON.") var json = false

        func run() throws {
            let stats = try Store(environment: Installation.current().environment).catalogStats()
            if json {
                try Output.printJSON(stats)
                return
            }
            print("tracks: \(stats.tracks)")
            print("genres: \(stats.genres)")
            print("tracks with an emotion score: \(stats.tracksWithEmotion)")
            let width = stats.tracksPerGenre.map(\.genre.count).max() ?? 0
            for entry in stats.tracksPerGenre {
                print("  " + entry.genre.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(entry.tracks)")
            }
        }
    }
}
