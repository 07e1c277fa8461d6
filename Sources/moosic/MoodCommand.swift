import ArgumentParser
import Foundation
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct MoodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mood",
        abstract: "Read the mood score (P(happy) + ½ P(neutral): sad 0 … 1 happy) of the largest face in a photo.",
        discussion: """
            The photo (JPEG, PNG, BMP, WebP or TIFF) is searched for faces; the largest one is cropped \
            and scored by the face-mood network (Models/face_mood.onnx). No face: exit 65. With \
            --aligned the photo is taken as a face crop already (like FER2013's 48×48 faces).
            """
    )

    @Option(help: "The photo.") var photo: String
    @Flag(help: "The photo is already a face crop: skip face detection.") var aligned = false
    @Option(help: "Also write a copy with the face box, the score's band and the score drawn on it (.jpg, .jpeg or .png).")
    var annotate: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        if let annotate { try FaceMoodReader.checkAnnotationPath(annotate) }
        let reader = try FaceMoodReader(environment: Installation.current().environment)
        let reading = try reader.read(photo: photo, aligned: aligned, annotate: annotate)
        let mood = reading.mood
        if json {
            try Output.printJSON(MoodJSON(reading))
            return
        }
        var line = "\(MoodLabel(score: mood.score).rawValue) (\(MoodBand(score: mood.score).rawValue) band): score = \(String(format: "%.3f", mood.score))"
        if let face = mood.face, !aligned {
            line += ", \(mood.facesFound) face\(mood.facesFound == 1 ? "" : "s") found, "
                + (mood.facesFound > 1 ? "the largest " : "") + "at x \(face.x) y \(face.y), \(face.w)×\(face.h) px"
        }
        line += " (\(String(format: "%.0f", mood.milliseconds)) ms)"
        print(line)
        if let annotate { print("annotated copy: \(annotate)") }
    }

    struct MoodJSON: Encodable {
        var score: Double
        var label: MoodLabel
        var band: MoodBand
        var facesFound: Int
        var face: FaceBox?
        var ms: Double
        var forwardMs: Double
        /// Left out for a model that gives only the score.
        var probabilities: MoodProbabilities?

        init(_ reading: FaceMoodReading) {
            score = reading.mood.score
            label = MoodLabel(score: reading.mood.score)
            band = MoodBand(score: reading.mood.score)
            facesFound = reading.mood.facesFound
            face = reading.mood.face
            ms = (reading.mood.milliseconds * 10).rounded() / 10
            forwardMs = (reading.forwardMilliseconds * 100).rounded() / 100
            probabilities = reading.mood.probabilities
        }
    }
}
