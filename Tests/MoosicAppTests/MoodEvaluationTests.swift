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

    func reading(_ score: Double, _ probabilities: MoodProbabilities) -> FaceMoodReading {
        FaceMoodReading(mood: PhotoMood(score: score, facesFound: 1, face: nil, milliseconds: 1, probabilities: probabilities),
                        forwardMilliseconds: 1)
    }

    @Test func listsTheClassFoldersFilesOnly() throws {
        let dir = try TemporaryDirectory()
        let fm = FileManager.default
        for folder in ["happy", "sad", "neutral", "sad/nested", "angry"] {
            try fm.createDirectory(at: dir.url.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["happy/b.jpg", "happy/a.jpg", "happy/.DS_Store", "sad/c.png", "neutral/d.jpg", "angry/e.jpg"] {
            _ = try dir.write(file, "x")
        }
        let photos = try MoodEvaluation.labelledPhotos(in: dir.url)
        #expect(photos.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["a.jpg", "b.jpg", "d.jpg", "c.png"])
        #expect(photos.map(\.label) == [.happy, .happy, .neutral, .sad])
    }

    @Test func missingFolderAndFolderWithoutLabels() throws {
        #expect(throws: MoosicError.fileMissing(path: "/nonexistent/eval")) {
            try MoodEvaluation.labelledPhotos(in: URL(fileURLWithPath: "/nonexistent/eval"))
        }
        let dir = try TemporaryDirectory()
        #expect(throws: MoosicError.invalidData("\(dir.url.path) has no happy/, neutral/ or sad/ folder")) {
            try MoodEvaluation.labelledPhotos(in: dir.url)
        }
    }

    @Test func readsALabelsFileRelativeToItsFolder() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("labels.csv", "file,label,source,extra\na/1.jpg,happy,studio,x\n/abs/2.jpg,sad,,y\n")
        let photos = try MoodEvaluation.labelledPhotos(labels: csv)
        #expect(photos == [LabelledPhoto(path: dir.url.appendingPathComponent("a/1.jpg").path, label: .happy, source: "studio"),
                           LabelledPhoto(path: "/abs/2.jpg", label: .sad, source: nil)])
        let noLabel = try dir.write("bad.csv", "file,mood\na.jpg,happy\n")
        #expect(throws: MoosicError.invalidData("\(noLabel.path) needs the columns file and label (it has file, mood)")) {
            try MoodEvaluation.labelledPhotos(labels: noLabel)
        }
        let short = try dir.write("short.csv", "file,label\na.jpg\n")
        #expect(throws: MoosicError.invalidData("\(short.path), line 2: 1 fields, the header has 2")) {
            try MoodEvaluation.labelledPhotos(labels: short)
        }
    }

    @Test func metricsAreOverTheFacesFound() throws {
        let photos = [LabelledPhoto(path: "h1", label: .happy), LabelledPhoto(path: "h2", label: .happy),
                      LabelledPhoto(path: "s1", label: .sad), LabelledPhoto(path: "none", label: .sad)]
        let scores = ["h1": 0.9, "h2": 0.4, "s1": 0.2]
        let report = try MoodEvaluation.evaluate(photos) { path in scores[path].map(reading) }
        #expect(report.n == 4)
        #expect(report.noFace == 1)
        #expect(abs((report.accuracy ?? 0) - 2.0 / 3) < 1e-12)
        #expect(report.auc == 1)
        #expect(report.forwardMillisecondsMedian == 0.4)
        // Without the network's probabilities there is no happy-against-sad calibration to measure.
        #expect(report.all.eceHappyVsSad == nil)
    }

    @Test func bandsConfusionAndSourcesCountEachFaceOnce() throws {
        let photos = [LabelledPhoto(path: "h1", label: .happy, source: "studio"), LabelledPhoto(path: "h2", label: .happy, source: "news"),
                      LabelledPhoto(path: "n1", label: .neutral, source: "studio"), LabelledPhoto(path: "n2", label: .neutral, source: "news"),
                      LabelledPhoto(path: "s1", label: .sad, source: "studio"), LabelledPhoto(path: "s2", label: .sad, source: "news")]
        // h2 reads neutral (0.5), n2 reads sad (0.3); the others are in their bands.
        let readings = ["h1": reading(0.9, MoodProbabilities(happy: 0.8, neutral: 0.2, sad: 0)),
                        "h2": reading(0.5, MoodProbabilities(happy: 0.3, neutral: 0.4, sad: 0.3)),
                        "n1": reading(0.5, MoodProbabilities(happy: 0.1, neutral: 0.8, sad: 0.1)),
                        "n2": reading(0.3, MoodProbabilities(happy: 0.1, neutral: 0.4, sad: 0.5)),
                        "s1": reading(0.1, MoodProbabilities(happy: 0, neutral: 0.2, sad: 0.8)),
                        "s2": reading(0.2, MoodProbabilities(happy: 0.1, neutral: 0.2, sad: 0.7))]
        let report = try MoodEvaluation.evaluate(photos) { readings[$0] }
        // rows: class sad, neutral, happy; columns: band sad, neutral, happy
        #expect(report.all.confusion == [[2, 0, 0], [1, 1, 0], [0, 1, 1]])
        #expect(report.all.bandAccuracy == [.sad: 1, .neutral: 0.5, .happy: 0.5])
        #expect(abs((report.all.bandAccuracyMean ?? 0) - 2.0 / 3) < 1e-12)
        #expect(report.all.neutralMedian == 0.4)
        // P(happy)/(P(happy)+P(sad)): h1 1, h2 0.5, s1 0, s2 0.125; ten bins: |1−1|, |0.5−1|, |0−0|, |0.125−0| over 4 faces.
        #expect(abs((report.all.eceHappyVsSad ?? -1) - (0.5 + 0.125) / 4) < 1e-12)
        #expect(report.bySource.keys.sorted() == ["news", "studio"])
        #expect(report.bySource["studio"]?.bandAccuracy == [.sad: 1, .neutral: 1, .happy: 1])
        #expect(report.bySource["news"]?.confusion == [[1, 0, 0], [1, 0, 0], [0, 1, 0]])
    }

    @Test func noFacesAtAllGiveNoMetrics() throws {
        let report = try MoodEvaluation.evaluate([LabelledPhoto(path: "x", label: .happy)]) { _ in nil }
        #expect(report.n == 1 && report.noFace == 1)
        #expect(report.accuracy == nil && report.auc == nil && report.ece == nil)
        #expect(report.all.bandAccuracy.isEmpty && report.all.bandAccuracyMean == nil)
    }
}
