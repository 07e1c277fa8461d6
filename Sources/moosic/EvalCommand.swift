import ArgumentParser
import Foundation
import MoosicCore

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model on labelled data.",
        subcommands: [Mood.self, EvalEmotionCommand.self, EvalGenresCommand.self]
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
            var report: MoodEvaluationReport
            init(_ report: MoodEvaluationReport) { self.report = report }

            enum Key: String, CodingKey { case n, no_face, accuracy, auc, ece, forward_ms_median }

            // Metrics that cannot be computed (no faces, one class only) are null, not missing.
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(report.n, forKey: .n)
                try c.encode(report.noFace, forKey: .no_face)
                try c.encode(report.accuracy, forKey: .accuracy)
                try c.encode(report.auc, forKey: .auc)
                try c.encode(report.ece, forKey: .ece)
                try c.encode(report.forwardMillisecondsMedian.map { ($0 * 100).rounded() / 100 }, forKey: .forward_ms_median)
            }
        }
    }
}
