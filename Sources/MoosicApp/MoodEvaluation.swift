import Foundation
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// What `moosic eval mood` measures over one set of labelled photos (all of them, or one source's).
/// A listener meets the band the score falls in (`MoodBand`), so besides the happy-vs-sad figures of
/// the score the report gives, per class, the share of faces in their own band and the 3×3 confusion.
public struct MoodFigures: Sendable, Equatable {
    /// Photos read (of every class).
    public var n: Int
    /// Photos in which no face was found; the metrics are over the others.
    public var noFace: Int
    /// Over the happy and sad faces: accuracy of the score at ½, ROC AUC, and the expected calibration
    /// error of the score as P(happy) (10 equal-width bins).
    public var accuracy: Double?
    public var auc: Double?
    public var ece: Double?
    /// The expected calibration error of P(happy) / (P(happy) + P(sad)) on the happy and sad faces: the
    /// network's own happy-against-sad probability (nil when the model gives no probabilities).
    public var eceHappyVsSad: Double?
    /// Per class present, the share of its faces whose score lies in that class's band.
    public var bandAccuracy: [MoodBand: Double]
    /// The mean of `bandAccuracy` over the classes present.
    public var bandAccuracyMean: Double?
    /// Faces by true class (rows) and by the band of their score (columns), both in `MoodBand.allCases`
    /// order (sad, neutral, happy).
    public var confusion: [[Int]]
    /// The median score of the neutral faces (a straight face should sit near ½).
    public var neutralMedian: Double?
}

/// `MoodFigures` over all the photos, and per source when the photos name their sources.
public struct MoodEvaluationReport: Sendable, Equatable {
    public var all: MoodFigures
    public var bySource: [String: MoodFigures]
    /// Median time of the network's forward pass per face.
    public var forwardMillisecondsMedian: Double?

    public var n: Int { all.n }
    public var noFace: Int { all.noFace }
    public var accuracy: Double? { all.accuracy }
    public var auc: Double? { all.auc }
    public var ece: Double? { all.ece }
}

/// A photo, its true mood class, and where it comes from (a camera, a data set) when that is known.
public struct LabelledPhoto: Sendable, Equatable {
    public var path: String
    public var label: MoodBand
    public var source: String?

    public init(path: String, label: MoodBand, source: String? = nil) {
        self.path = path
        self.label = label
        self.source = source
    }
}

public enum MoodEvaluation {
    /// The files in `<directory>/happy`, `<directory>/neutral` and `<directory>/sad` (symbolic links
    /// followed, hidden files skipped, other folders ignored), in name order.
    public static func labelledPhotos(in directory: URL) throws -> [LabelledPhoto] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw MoosicError.fileMissing(path: directory.path)
        }
        guard isDirectory.boolValue else { throw MoosicError.invalidData("\(directory.path) is not a folder") }
        var photos: [LabelledPhoto] = []
        var foldersFound = 0
        for label in [MoodBand.happy, .neutral, .sad] {
            let url = directory.appendingPathComponent(label.rawValue, isDirectory: true)
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
                    photos.append(LabelledPhoto(path: path, label: label))
                }
            }
        }
        guard foldersFound > 0 else {
            throw MoosicError.invalidData("\(directory.path) has no happy/, neutral/ or sad/ folder")
        }
        return photos
    }

    /// The photos of a labels file: a CSV with a header naming the columns `file` (a path relative to the
    /// CSV's folder, or absolute) and `label` (happy, neutral or sad), and optionally `source`; other
    /// columns are ignored. Any other label is bad data (65) naming its line.
    public static func labelledPhotos(labels file: URL) throws -> [LabelledPhoto] {
        guard FileManager.default.fileExists(atPath: file.path) else { throw MoosicError.fileMissing(path: file.path) }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw MoosicError.invalidData("cannot read \(file.path)")
        }
        var reader = CSVReader(bytes: [UInt8](data))
        var fields: [CSVReader.Field] = []
        func bad(_ text: String) -> MoosicError { .invalidData("\(file.path), line \(reader.line): \(text)") }
        do {
            guard try reader.readRecord(into: &fields) else { throw MoosicError.invalidData("\(file.path) is empty") }
            let header = fields.map { reader.string($0).trimmingCharacters(in: .whitespaces) }
            guard let fileColumn = header.firstIndex(of: "file"), let labelColumn = header.firstIndex(of: "label") else {
                throw MoosicError.invalidData("\(file.path) needs the columns file and label (it has \(header.joined(separator: ", ")))")
            }
            let sourceColumn = header.firstIndex(of: "source")
            let folder = file.deletingLastPathComponent()
            var photos: [LabelledPhoto] = []
            while try reader.readRecord(into: &fields) {
                guard fields.count == header.count else { throw bad("\(fields.count) fields, the header has \(header.count)") }
                let name = reader.string(fields[fileColumn])
                guard !name.isEmpty else { throw bad("no file") }
                let text = reader.string(fields[labelColumn])
                guard let label = MoodBand(rawValue: text) else { throw bad("label \"\(text)\" is not happy, neutral or sad") }
                let source = sourceColumn.map { reader.string(fields[$0]) }.flatMap { $0.isEmpty ? nil : $0 }
                let path = name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
                photos.append(LabelledPhoto(path: path, label: label, source: source))
            }
            guard !photos.isEmpty else { throw MoosicError.invalidData("\(file.path) lists no photos") }
            return photos
        } catch let problem as CSVReader.Problem {
            throw bad("not valid CSV (\(problem))")
        }
    }

    /// Reads every photo with `read` (nil: no face found) and measures the readings against the labels,
    /// over all the photos and per source. A photo that cannot be read at all stops the evaluation with its error.
    public static func evaluate(_ photos: [LabelledPhoto], progress: ((Double) -> Void)? = nil,
                                read: (String) throws -> FaceMoodReading?) throws -> MoodEvaluationReport {
        var readings: [(photo: LabelledPhoto, mood: PhotoMood?)] = []
        var forward: [Double] = []
        for (index, photo) in photos.enumerated() {
            let reading = try read(photo.path)
            readings.append((photo, reading?.mood))
            if let reading { forward.append(reading.forwardMilliseconds) }
            progress?(Double(index + 1) / Double(photos.count))
        }
        var bySource: [String: MoodFigures] = [:]
        for source in Set(photos.compactMap(\.source)) {
            bySource[source] = figures(readings.filter { $0.photo.source == source })
        }
        return MoodEvaluationReport(all: figures(readings), bySource: bySource, forwardMillisecondsMedian: median(forward))
    }

    static func figures(_ readings: [(photo: LabelledPhoto, mood: PhotoMood?)]) -> MoodFigures {
        let faces = readings.compactMap { reading in reading.mood.map { (label: reading.photo.label, mood: $0) } }
        let happyOrSad = faces.filter { $0.label != .neutral }
        let scores = happyOrSad.map(\.mood.score), labels = happyOrSad.map { $0.label == .happy }
        let ratios = happyOrSad.compactMap { $0.mood.probabilities?.happyAgainstSad }
        var confusion = Array(repeating: Array(repeating: 0, count: 3), count: 3)
        let order = MoodBand.allCases
        for face in faces {
            confusion[order.firstIndex(of: face.label)!][order.firstIndex(of: MoodBand(score: face.mood.score))!] += 1
        }
        var bandAccuracy: [MoodBand: Double] = [:]
        for (row, label) in order.enumerated() where confusion[row].reduce(0, +) > 0 {
            bandAccuracy[label] = Double(confusion[row][row]) / Double(confusion[row].reduce(0, +))
        }
        return MoodFigures(
            n: readings.count, noFace: readings.count - faces.count,
            accuracy: BinaryMetrics.accuracy(scores: scores, labels: labels),
            auc: BinaryMetrics.rocAUC(scores: scores, labels: labels),
            ece: BinaryMetrics.expectedCalibrationError(scores: scores, labels: labels),
            eceHappyVsSad: ratios.count == happyOrSad.count
                ? BinaryMetrics.expectedCalibrationError(scores: ratios, labels: labels) : nil,
            bandAccuracy: bandAccuracy,
            bandAccuracyMean: bandAccuracy.isEmpty ? nil : bandAccuracy.values.reduce(0, +) / Double(bandAccuracy.count),
            confusion: confusion,
            neutralMedian: median(faces.filter { $0.label == .neutral }.map(\.mood.score)))
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
