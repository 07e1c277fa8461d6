import ArgumentParser
import Foundation
import MoosicCore
import MoosicIO
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model on labelled data.",
        subcommands: [Mood.self, EvalEmotionCommand.self, EvalGenresCommand.self, Ranker.self, Profile.self, Listeners.self]
    )

    struct Mood: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the face-mood model on labelled photos: <dir>/{happy,neutral,sad}/* or a labels CSV.",
            discussion: """
                Reports n (photos), no_face (photos without a face found) and, over the faces found: on the \
                happy and sad faces, accuracy (score ≥ 0.5 means happy), ROC AUC, the expected calibration error \
                of the score (10 equal-width bins) and of P(happy) / (P(happy) + P(sad)); per class, the share \
                of faces whose score lies in their own band (sad < 0.35 ≤ neutral < 0.65 ≤ happy) and the 3×3 \
                confusion of classes and bands; the neutral faces' median score. With --labels (columns file, \
                label, optional source) also per source.
                """
        )

        @Option(help: "A folder with happy/, neutral/ and sad/ subfolders (any of them).") var dir: String?
        @Option(help: "A CSV with the columns file (relative to the CSV's folder), label (happy, neutral or sad) and optionally source.")
        var labels: String?
        @Flag(help: "The photos are already face crops: skip face detection.") var aligned = false
        @Flag(help: "Print the report as JSON.") var json = false

        func validate() throws {
            guard (dir == nil) != (labels == nil) else { throw ValidationError("give either --dir or --labels") }
        }

        func run() throws {
            let photos = try labels.map { try MoodEvaluation.labelledPhotos(labels: URL(fileURLWithPath: $0)) }
                ?? MoodEvaluation.labelledPhotos(in: URL(fileURLWithPath: dir!, isDirectory: true))
            let reader = try FaceMoodReader(environment: Installation.current().environment)
            let progress = ProgressReporter(label: "reading \(photos.count) photos", json: json)
            let report = try ProgressReporter.finishing(progress) {
                try MoodEvaluation.evaluate(photos, progress: progress?.update) { try reader.readIfFace(photo: $0, aligned: aligned) }
            }
            if json {
                try Output.printJSON(ReportJSON(report))
                return
            }
            func format(_ value: Double?, _ digits: Int = 3) -> String {
                value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
            }
            func printFigures(_ figures: MoodFigures, indent: String) {
                print("\(indent)photos: \(figures.n), no face found: \(figures.noFace)")
                print("\(indent)happy vs sad: accuracy \(format(figures.accuracy))  ROC AUC \(format(figures.auc))  "
                      + "ECE \(format(figures.ece))  ECE of P(happy)/(P(happy)+P(sad)) \(format(figures.eceHappyVsSad))")
                let bands = MoodBand.allCases.reversed().compactMap { band in
                    figures.bandAccuracy[band].map { "\(band.rawValue) \(format($0))" }
                }
                print("\(indent)in their band: \(bands.joined(separator: "  "))  mean \(format(figures.bandAccuracyMean))"
                      + "  (neutral median \(format(figures.neutralMedian)))")
                print("\(indent)confusion (rows: class sad, neutral, happy; columns: band sad, neutral, happy): "
                      + figures.confusion.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " | "))
            }
            printFigures(report.all, indent: "")
            for source in report.bySource.keys.sorted() {
                print("source \(source):")
                printFigures(report.bySource[source]!, indent: "  ")
            }
            print("network forward: median \(format(report.forwardMillisecondsMedian, 2)) ms per face")
        }

        struct FiguresJSON: Encodable {
            var n, noFace: Int
            var accuracy, auc, ece, eceHappyVsSad: Double?
            var bandAccuracy: BandsJSON
            var confusion: ConfusionJSON
            var neutralMedian: Double?

            struct BandsJSON: Encodable {
                var happy, neutral, sad, mean: Double?
                // Classes without faces are null, not missing.
                func encode(to encoder: Encoder) throws {
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encode(happy, forKey: .happy)
                    try c.encode(neutral, forKey: .neutral)
                    try c.encode(sad, forKey: .sad)
                    try c.encode(mean, forKey: .mean)
                }
                enum CodingKeys: CodingKey { case happy, neutral, sad, mean }
            }

            struct ConfusionJSON: Encodable {
                var rows = "class: sad, neutral, happy"
                var columns = "band: sad, neutral, happy"
                var counts: [[Int]]
            }

            init(_ figures: MoodFigures) {
                n = figures.n
                noFace = figures.noFace
                accuracy = figures.accuracy
                auc = figures.auc
                ece = figures.ece
                eceHappyVsSad = figures.eceHappyVsSad
                bandAccuracy = BandsJSON(happy: figures.bandAccuracy[.happy], neutral: figures.bandAccuracy[.neutral],
                                         sad: figures.bandAccuracy[.sad], mean: figures.bandAccuracyMean)
                confusion = ConfusionJSON(counts: figures.confusion)
                neutralMedian = figures.neutralMedian
            }

            enum CodingKeys: CodingKey { case n, noFace, accuracy, auc, ece, eceHappyVsSad, bandAccuracy, confusion, neutralMedian }

            // Metrics that cannot be computed (no faces, one class only) are null, not missing.
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(n, forKey: .n)
                try c.encode(noFace, forKey: .noFace)
                try c.encode(accuracy, forKey: .accuracy)
                try c.encode(auc, forKey: .auc)
                try c.encode(ece, forKey: .ece)
                try c.encode(eceHappyVsSad, forKey: .eceHappyVsSad)
                try c.encode(bandAccuracy, forKey: .bandAccuracy)
                try c.encode(confusion, forKey: .confusion)
                try c.encode(neutralMedian, forKey: .neutralMedian)
            }
        }

        struct ReportJSON: Encodable {
            var all: FiguresJSON
            var sources: [String: FiguresJSON]
            var forwardMsMedian: Double?

            init(_ report: MoodEvaluationReport) {
                all = FiguresJSON(report.all)
                sources = report.bySource.mapValues(FiguresJSON.init)
                forwardMsMedian = report.forwardMillisecondsMedian.map { ($0 * 100).rounded() / 100 }
            }

            // The figures over all photos at the top (as before sources were reported), then each source's.
            func encode(to encoder: Encoder) throws {
                try all.encode(to: encoder)
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(sources, forKey: .sources)
                try c.encode(forwardMsMedian, forKey: .forwardMsMedian)
            }

            enum CodingKeys: CodingKey { case sources, forwardMsMedian }
        }
    }

    struct Ranker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Quality of the fixture user's playlist for both strategies and both fixture moods (offline).",
            discussion: """
                genre_jsd: Jensen–Shannon divergence (bits) between the playlist's genres and the profile over \
                the catalog's genres; mean_emotion_error: mean |emotion − target|; distinct_artists; new_to_user: \
                share of songs not in the library; emotion_start/end: mean emotion of the first/last five songs; \
                mean_energy_error: mean |energy − energy target|; emotion_step, energy_step: smoothness, the mean \
                |Δ| between neighbouring songs (lower is smoother).
                """
        )

        @Option(help: "Songs per playlist.") var size = 30
        @Option(help: "Seed for the choice among equally fitting songs.") var seed: UInt64 = 0
        @Flag(help: "Print the rows as JSON.") var json = false

        func run() async throws {
            let rows = try await RankerEvaluation.run(installation: Installation.current(), size: size, seed: seed)
            if json {
                try Output.printJSON(rows)
                return
            }
            print("photo        mood  strategy  genre_jsd  mean_emotion_error  mean_energy_error  emotion_step  energy_step  distinct_artists  new_to_user  emotion_start→end")
            for r in rows {
                print(String(format: "%@  %.2f  %@  %9.3f  %18.3f  %17.3f  %12.3f  %11.3f  %16d  %11.2f  %.2f → %.2f",
                             r.photo.padding(toLength: 11, withPad: " ", startingAt: 0), r.mood,
                             r.strategy.padding(toLength: 8, withPad: " ", startingAt: 0), r.quality.genreDivergence,
                             r.quality.meanEmotionError, r.quality.meanArousalError, r.quality.emotionStep,
                             r.quality.arousalStep, r.quality.distinctArtists, r.quality.newToUser,
                             r.emotionStart, r.emotionEnd))
            }
        }
    }

    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How well the genre profile recovers synthetic listeners' genres when most of their library is outside the catalog.",
            discussion: """
                Listeners of 3–6 genres with 200–300 of the genre forest's held-out tracks each; --hidden of their \
                tracks leave the catalog (other ids, altered titles) and their audio features go into the feature \
                cache, as the features service would put them. Reports, per way of building the profile, the mean \
                top-5 overlap with the listener's genres, the Jensen–Shannon divergence (bits) from their true \
                shares and the share of tracks counted by each source; then the weighting grid on all the evidence.
                """
        )

        @Option(help: "The catalog CSV (the Spotify Tracks dataset).") var data: String
        @Option(help: "The genre model (default: the shipped one).") var model: String?
        @Option(help: "Synthetic listeners.") var listeners = 40
        @Option(help: "Share of each listener's tracks hidden from the catalog.") var hidden = 0.8
        @Option(help: "Share of the hidden tracks whose artists the catalog does not know either.") var unknownArtists = 0.0
        @Flag(help: "Unknown artists only in each listener's first genre (the catalog misses that genre).") var unknownInFirstGenre = false
        @Option(help: "Seed of the listeners.") var seed: UInt64 = 12
        @Flag(help: "Only the standard weighting, not the grid.") var noGrid = false
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let environment = try Installation.current().environment
            let forest = try RandomForest.loadGenreModel(from: model.map { URL(fileURLWithPath: $0) }
                ?? environment.modelURL(GenreTraining.modelFileName))
            let rows = try CatalogCSV.read(url: URL(fileURLWithPath: data)).rows
            let report = try ProfileEvaluation.run(
                catalog: rows, model: forest, settings: .init(listeners: listeners, hidden: hidden, unknownArtists: unknownArtists,
                                                                 unknownInFirstGenre: unknownInFirstGenre, seed: seed),
                weightings: noGrid ? [.standard] : ProfileEvaluation.defaultGrid)
            if json {
                try Output.printJSON(report)
                return
            }
            print(String(format: "%d listeners, %.0f tracks each on average, %.0f %% hidden from the catalog, %.0f %% of those by artists it does not know%@",
                         report.listeners, report.meanTracks, report.hiddenShare * 100, report.unknownArtistShare * 100,
                         report.unknownInFirstGenre ? " (in each listener's first genre only)" : ""))
            print("mode                                   forest×  sharp  artist×  prior families  top5   JSD    labelled inferred by_artist none")
            for r in report.rows {
                print(String(format: "%@  %7.2f  %5.1f  %7.2f  %@  %@  %.3f  %.3f  %8.3f %8.3f %9.3f %.3f",
                             r.mode.padding(toLength: 37, withPad: " ", startingAt: 0), r.weighting.forest,
                             r.weighting.sharpness, r.weighting.byArtist, r.weighting.listenerPrior ? "EM  " : "none",
                             r.weighting.families ? "yes     " : "no      ", r.top5Overlap, r.jsd,
                             r.labelled, r.inferred, r.byArtist, r.none))
            }
        }
    }

    struct Listeners: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How close the genre profile comes to real listeners' genres, with and without the features service.",
            discussion: """
                --data is a CSV of real listeners' libraries (Exportify columns: listener, track_id, track_name, \
                artists, artist_genres and the audio features). Each listener's truth: the genres Spotify gives the \
                artists of their tracks, mapped onto the catalog's genres. The profile is built from a store holding \
                --catalog (default: the shipped catalog) in three modes: no features service; the service answering \
                with the file's features for the tracks the catalog lacks; the forest over the features alone. \
                Reports per listener and in the mean: hits@5 (moosic's top 5 in the truth's top 10, over 5), top-1 \
                (moosic's first genre in the truth's top 5), the Jensen–Shannon divergence (bits) and the share of \
                tracks counted by each kind of evidence.
                """
        )

        @Option(help: "The listeners' CSV.") var data: String
        @Option(help: "The catalog to import (CSV, or the shipped .xz; default: the shipped catalog).") var catalog: String?
        @Option(help: "The genre model (default: the shipped one).") var model: String?
        @Flag(help: "Also compare other weightings of the evidence (features service on).") var grid = false
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let environment = try Installation.current().environment
            let forest = try GenreForest(url: model.map { URL(fileURLWithPath: $0) } ?? environment.modelURL(GenreTraining.modelFileName))
            let listeners = try ListenerEvaluation.read(url: URL(fileURLWithPath: data))
            guard !listeners.isEmpty else { throw MoosicError.invalidData("\(data) has no listeners") }
            let store = try Store()
            let progress = ProgressReporter(label: "evaluating \(listeners.count) listeners", json: json)
            let report = try ProgressReporter.finishing(progress) {
                if let catalog {
                    _ = try CatalogImporter.importFile(at: URL(fileURLWithPath: catalog), into: store, skipInvalid: true)
                } else {
                    try ShippedCatalog.importIfEmpty(store: store, environment: environment)
                }
                return try ListenerEvaluation.run(listeners: listeners, store: store, forest: forest,
                                                  weightings: grid ? ProfileEvaluation.defaultGrid : [], progress: { progress?.update($0) })
            }
            if json {
                try Output.printJSON(report)
                return
            }
            for mode in ListenerEvaluation.Mode.allCases {
                print("\n\(mode.rawValue)")
                print("listener                   tracks  hits@5  top-1  JSD    labelled by_artist forest none  top 5")
                for r in report.rows where r.mode == mode {
                    let n = Double(max(1, r.coverage.libraryTracks))
                    print(String(format: "%@ %6d  %.2f    %@    %.3f  %.2f     %.2f      %.2f   %.2f  %@",
                                 r.listener.padding(toLength: 25, withPad: " ", startingAt: 0), r.tracks, r.hitsAt5,
                                 r.top1 ? "yes" : "no ", r.jsd, Double(r.coverage.labelled) / n, Double(r.coverage.byArtist) / n,
                                 Double(r.coverage.inferred) / n, Double(r.coverage.none) / n, r.top5.joined(separator: ", ")))
                }
            }
            print("\nmean over the listeners")
            print("mode                   hits@5  top-1    JSD    with_features labelled by_artist forest none")
            for s in report.summaries { print(summaryLine(s, s.mode.rawValue)) }
            if !report.grid.isEmpty {
                print("\nweightings, features service on (forest×, sharpness, listener prior, genre families)")
                for s in report.grid {
                    let w = s.weighting
                    print(summaryLine(s, String(format: "%.2f %.1f %@ %@", w.forest, w.sharpness, w.listenerPrior ? "EM  " : "none",
                                                w.families ? "families" : "fine")))
                }
            }
        }

        func summaryLine(_ s: ListenerEvaluation.Summary, _ name: String) -> String {
            String(format: "%@ %.3f   %2d of %2d  %.3f  %.3f         %.3f    %.3f     %.3f  %.3f",
                   name.padding(toLength: 22, withPad: " ", startingAt: 0), s.hitsAt5, s.top1, s.listeners, s.jsd,
                   s.withFeatures, s.labelled, s.byArtist, s.inferred, s.none)
        }
    }
}
