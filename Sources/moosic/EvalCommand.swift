import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model on labelled data.",
        subcommands: [Mood.self, EvalEmotionCommand.self, EvalGenresCommand.self, Ranker.self]
    )

    struct Mood: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the face-mood model on <dir>/happy/* and <dir>/sad/* photos.",
            discussion: """
                Reports n (photos), no_face (photos without a face found) and, over the faces found, \
                accuracy (P(happy) ≥ 0.5 means happy), ROC AUC and the expected calibration error \
                over 10 equal-width bins. Other folders in <dir> are ignored.
                """
        )

        @Option(help: "The folder with happy/ and sad/ subfolders.") var dir: String
        @Flag(help: "The photos are already face crops: skip face detection.") var aligned = false
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let photos = try MoodEvaluation.labelledPhotos(in: URL(fileURLWithPath: dir, isDirectory: true))
            let reader = try FaceMoodReader()
            let progress = TerminalProgress(label: "reading \(photos.count) photos")
            let report: MoodEvaluationReport
            do {
                report = try MoodEvaluation.evaluate(photos, progress: progress?.update) {
                    try reader.readIfFace(photo: $0, aligned: aligned)
                }
                progress?.finish()
            } catch {
                progress?.finish()
                throw error
            }
            if json {
                try Output.printJSON(ReportJSON(report))
                return
            }
            func format(_ value: Double?, _ digits: Int = 3) -> String {
                value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
            }
            print("photos: \(report.n), no face found: \(report.noFace)")
            print("accuracy: \(format(report.accuracy))  ROC AUC: \(format(report.auc))  ECE: \(format(report.ece))")
            print("network forward: median \(format(report.forwardMillisecondsMedian, 2)) ms per face")
        }

        struct ReportJSON: Encodable {
            var n, noFace: Int
            var accuracy, auc, ece, forwardMsMedian: Double?

            init(_ report: MoodEvaluationReport) {
                n = report.n
                noFace = report.noFace
                accuracy = report.accuracy
                auc = report.auc
                ece = report.ece
                forwardMsMedian = report.forwardMillisecondsMedian.map { ($0 * 100).rounded() / 100 }
            }

            enum CodingKeys: CodingKey { case n, noFace, accuracy, auc, ece, forwardMsMedian }

            // Metrics that cannot be computed (no faces, one class only) are null, not missing.
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(n, forKey: .n)
                try c.encode(noFace, forKey: .noFace)
                try c.encode(accuracy, forKey: .accuracy)
                try c.encode(auc, forKey: .auc)
                try c.encode(ece, forKey: .ece)
                try c.encode(forwardMsMedian, forKey: .forwardMsMedian)
            }
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
            let rows = try await RankerEvaluation.run(environment: .resolve(), size: size, seed: seed)
            if json {
                try Output.printJSON(rows)
                return
            }
            print("photo        mood  strategy  genre_jsd  mean_emotion_error  mean_energy_error  emotion_step  energy_step  distinct_artists  new_to_user  emotion_start→end")
            for r in rows {
                print(String(format: "%@  %.2f  %@  %9.3f  %18.3f  %17.3f  %12.3f  %11.3f  %16d  %11.2f  %.2f → %.2f",
                             r.photo.padding(toLength: 11, withPad: " ", startingAt: 0), r.mood,
                             r.strategy.padding(toLength: 8, withPad: " ", startingAt: 0), r.quality.genreDivergence,
                             r.quality.meanEmotionError, r.quality.meanEnergyError, r.quality.emotionStep,
                             r.quality.energyStep, r.quality.distinctArtists, r.quality.newToUser,
                             r.emotionStart, r.emotionEnd))
            }
        }
    }
}
