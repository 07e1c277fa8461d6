import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct MoodEvaluationTests {
    func reading(_ score: Double) -> FaceMoodReading {
        FaceMoodReading(mood: PhotoMood(score: score, facesFound: 1, face: nil, milliseconds: 1), forwardMilliseconds: score)
    }

    @Test func listsHappyAndSadFilesOnly() throws {
        let dir = try TemporaryDirectory()
        let fm = FileManager.default
        for folder in ["happy", "sad", "neutral", "sad/nested"] {
            try fm.createDirectory(at: dir.url.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["happy/b.jpg", "happy/a.jpg", "happy/.DS_Store", "sad/c.png", "neutral/d.jpg"] {
            _ = try dir.write(file, "x")
        }
        let photos = try MoodEvaluation.labelledPhotos(in: dir.url)
        #expect(photos.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["a.jpg", "b.jpg", "c.png"])
        #expect(photos.map(\.happy) == [true, true, false])
    }

    @Test func missingFolderAndFolderWithoutLabels() throws {
        #expect(throws: MoosicError.fileMissing(path: "/nonexistent/eval")) {
            try MoodEvaluation.labelledPhotos(in: URL(fileURLWithPath: "/nonexistent/eval"))
        }
        let dir = try TemporaryDirectory()
        #expect(throws: MoosicError.invalidData("\(dir.url.path) has neither a happy/ nor a sad/ folder")) {
            try MoodEvaluation.labelledPhotos(in: dir.url)
        }
    }

    @Test func metricsAreOverTheFacesFound() throws {
        let photos = [LabelledPhoto(path: "h1", happy: true), LabelledPhoto(path: "h2", happy: true),
                      LabelledPhoto(path: "s1", happy: false), LabelledPhoto(path: "none", happy: false)]
        let scores = ["h1": 0.9, "h2": 0.4, "s1": 0.2]
        let report = try MoodEvaluation.evaluate(photos) { path in scores[path].map(reading) }
        #expect(report.n == 4)
        #expect(report.noFace == 1)
        #expect(abs((report.accuracy ?? 0) - 2.0 / 3) < 1e-12)
        #expect(report.auc == 1)
        #expect(report.forwardMillisecondsMedian == 0.4)
    }

    @Test func noFacesAtAllGiveNoMetrics() throws {
        let report = try MoodEvaluation.evaluate([LabelledPhoto(path: "x", happy: true)]) { _ in nil }
        #expect(report.n == 1 && report.noFace == 1)
        #expect(report.accuracy == nil && report.auc == nil && report.ece == nil)
    }
}
