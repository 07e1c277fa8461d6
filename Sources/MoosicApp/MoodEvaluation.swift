import Foundation
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// What `moosic eval mood` measures over a folder of labelled photos.
public struct MoodEvaluationReport: Sendable, Equatable {
    /// Photos read (happy and sad).
    public var n: Int
    /// Photos in which no face was found; the metrics are over the others.
    public var noFace: Int
    public var accuracy: Double?
    public var auc: Double?
    /// Expected calibration error over 10 equal-width bins.
    public var ece: Double?
    /// Median time of the network's forward pass per face.
    public var forwardMillisecondsMedian: Double?
}

/// A photo and its label, from a `happy/` or `sad/` folder.
public struct LabelledPhoto: Sendable, Equatable {
    public var path: String
    public var happy: Bool
}

public enum MoodEvaluation {
    /// The files in `<directory>/happy` and `<directory>/sad` (symbolic links followed, hidden files
    /// skipped, other folders ignored), in name order.
    public static func labelledPhotos(in directory: URL) throws -> [LabelledPhoto] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw MoosicError.fileMissing(path: directory.path)
        }
        guard isDirectory.boolValue else { throw MoosicError.invalidData("\(directory.path) is not a folder") }
        var photos: [LabelledPhoto] = []
        var foldersFound = 0
        for (folder, happy) in [("happy", true), ("sad", false)] {
            let url = directory.appendingPathComponent(folder, isDirectory: true)
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            foldersFound += 1
            let names: [String]
            do {
                names = try fm.contentsOfDirectory(atPath: url.path)
            } catch {
                throw MoosicError.invalidData("cannot list \(url.path): \(error.localizedDescription)")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = url.appendingPathComponent(name).path
                if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    photos.append(LabelledPhoto(path: path, happy: happy))
                }
            }
        }
        guard foldersFound > 0 else {
            throw MoosicError.invalidData("\(directory.path) has neither a happy/ nor a sad/ folder")
        }
        return photos
    }

    /// Reads every photo with `read` (nil: no face found) and measures the readings against the labels.
    /// A photo that cannot be read at all stops the evaluation with its error.
    public static func evaluate(_ photos: [LabelledPhoto], progress: ((Double) -> Void)? = nil,
                                read: (String) throws -> FaceMoodReading?) throws -> MoodEvaluationReport {
        var scores: [Double] = [], labels: [Bool] = [], forward: [Double] = []
        var noFace = 0
        for (index, photo) in photos.enumerated() {
            if let reading = try read(photo.path) {
                scores.append(reading.mood.score)
                labels.append(photo.happy)
                forward.append(reading.forwardMilliseconds)
            } else {
                noFace += 1
            }
            progress?(Double(index + 1) / Double(photos.count))
        }
        return MoodEvaluationReport(
            n: photos.count, noFace: noFace,
            accuracy: BinaryMetrics.accuracy(scores: scores, labels: labels),
            auc: BinaryMetrics.rocAUC(scores: scores, labels: labels),
            ece: BinaryMetrics.expectedCalibrationError(scores: scores, labels: labels),
            forwardMillisecondsMedian: median(forward))
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
