import CVision
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

/// The real model (Models/face_mood.onnx) on the Fixtures photos.
@Suite struct FaceMoodReaderTests {
    static let photos = repositoryRoot.appendingPathComponent("Fixtures/photos")
    static let models = repositoryRoot.appendingPathComponent("Models")

    func reader() throws -> FaceMoodReader {
        try FaceMoodReader(environment: MoosicEnvironment(home: URL(fileURLWithPath: "/nonexistent"), modelsDirectory: Self.models))
    }

    func photo(_ name: String) -> String { Self.photos.appendingPathComponent(name).path }

    @Test func happyAndSadFixtures() throws {
        let reader = try reader()
        let happy = try reader.readMood(photo: photo("happy-1.jpg"))
        #expect(happy.score > 0.5)
        #expect(happy.facesFound == 1)
        let sad = try reader.readMood(photo: photo("sad-1.jpg"))
        #expect(sad.score < 0.5)
        #expect(sad.facesFound == 1)
    }

    @Test func theScoreIsMadeOfTheProbabilities() throws {
        let reader = try reader()
        for name in ["happy-1.jpg", "sad-1.jpg", "neutral-1.jpg"] {
            let mood = try reader.readMood(photo: photo(name))
            let p = try #require(mood.probabilities, "the shipped model names its softmax output")
            #expect(abs(p.happy + p.neutral + p.sad - 1) < 1e-5)
            #expect(abs(mood.score - (p.happy + p.neutral / 2)) < 1e-5)
        }
        let happy = try #require(try reader.readMood(photo: photo("happy-1.jpg")).probabilities)
        #expect(happy.happy > happy.sad)
    }

    @Test func bytesInMemoryReadAsTheirFile() throws {
        let reader = try reader()
        for name in ["happy-1.jpg", "two-faces.jpg", "formats/exif-rotated.jpg"] {
            let file = try #require(try reader.readIfFace(photo: photo(name)))
            let bytes = try #require(try reader.readIfFace(photoBytes: Data(contentsOf: Self.photos.appendingPathComponent(name)), name: name))
            #expect(bytes.mood.score == file.mood.score && bytes.mood.face == file.mood.face && bytes.mood.facesFound == file.mood.facesFound)
        }
        #expect(try reader.readIfFace(photoBytes: Data(contentsOf: Self.photos.appendingPathComponent("no-face.jpg")), name: "x") == nil)
        #expect(throws: MoosicError.invalidData("cannot use the upload as a photo: empty file (0 bytes)", cause: .unreadablePhoto)) {
            try reader.readIfFace(photoBytes: Data(), name: "the upload")
        }
    }

    // The annotated copy names the score's band (what the listener's playlist follows), drawn by the C++ side
    // from the edges the Swift side hands it: the two must agree on every score, the edges included.
    @Test func annotatedCopyNamesTheBandMoodBandGives() {
        var settings = FaceMoodSettings().cValue
        let edges = [MoodBand.neutralFrom, MoodBand.happyFrom].flatMap { [$0.nextDown, $0, $0.nextUp] }
        for score in (0...100).map({ Double($0) / 100 }) + edges {
            #expect(String(cString: cvision_mood_band(&settings, score)) == MoodBand(score: score).rawValue, "score \(score)")
        }
        #expect(String(cString: cvision_mood_band(&settings, 0.46)) == "neutral")
    }

    @Test func largestOfTwoFacesIsUsed() throws {
        let reader = try reader()
        let mood = try reader.readMood(photo: photo("two-faces.jpg"))
        #expect(mood.facesFound == 2)
        let face = try #require(mood.face)
        #expect(face.x + face.w < 360)  // the left, 260 px face; the other starts at x 450
        // The left face alone, read from its own photo, gives nearly the same score.
        let alone = try reader.readMood(photo: photo("happy-1.jpg"))
        #expect(abs(mood.score - alone.score) < 0.2)
    }

    @Test func smallFaceIsFoundBySecondSearch() throws {
        // happy-1 at 80 px, pasted at (420, 140) in a 640×480 picture: under a fifth of its height.
        let mood = try reader().readMood(photo: photo("small-face.jpg"))
        #expect(mood.facesFound == 1)
        let face = try #require(mood.face)
        #expect(face.x >= 410 && face.x + face.w <= 510 && face.y >= 130 && face.y + face.h <= 230)
    }

    @Test func noFaceIsInvalidData() throws {
        let reader = try reader()
        let path = photo("no-face.jpg")
        #expect(throws: MoosicError.invalidData("no face found in \(path)", cause: .noFace)) { try reader.readMood(photo: path) }
        #expect(try reader.readIfFace(photo: path) == nil)
    }

    @Test(arguments: ["grey.png", "alpha.png", "colour.bmp", "colour.webp", "colour.tiff", "exif-rotated.jpg", "exif-rotated.webp"])
    func everyFormatGivesTheSameFace(file: String) throws {
        let reader = try reader()
        let reference = try reader.readMood(photo: photo("formats/colour.bmp"))
        let mood = try reader.readMood(photo: photo("formats/" + file))
        #expect(mood.facesFound == 1)
        let face = try #require(mood.face)
        #expect(face.y < 60)  // upright: the face is at the top, the plain margin of the rotated ones below
        #expect(abs(mood.score - reference.score) < 0.15)
    }

    @Test func alignedSkipsDetection() throws {
        let reader = try reader()
        let reading = try reader.read(photo: photo("formats/grey.png"), aligned: true)
        #expect(reading.mood.facesFound == 1)
        #expect(reading.mood.face == FaceBox(x: 0, y: 0, w: 200, h: 200))
        // The whole landscape is taken as a face: aligned never reports "no face".
        #expect(try reader.readIfFace(photo: photo("no-face.jpg"), aligned: true) != nil)
    }

    @Test func shippedSettingsMatchTheModelsRecordedInputSize() throws {
        // The network pools globally, so a wrong input size would run silently: only the size the
        // export recorded in the model's metadata can catch a settings file from another model.
        let settings = try FaceMoodReader.loadSettings(Self.models.appendingPathComponent("face_mood.json"))
        let recorded = ONNXMetadata.properties(at: Self.models.appendingPathComponent("face_mood.onnx"))["input_size"]
        #expect(recorded == String(settings.inputSize))
    }

    @Test func shippedModelScoresTheHappyNeutralSadAxis() throws {
        // moosic's mood score is P(happy) + ½ P(neutral) (issue 14): the export records it, with the
        // calibration it folded in. The happy-vs-sad model before it recorded one temperature and no score.
        let recorded = ONNXMetadata.properties(at: Self.models.appendingPathComponent("face_mood.onnx"))
        #expect(recorded["score"] == "P(happy) + 0.5 P(neutral)")
        let temperatures = try #require(recorded["temperatures"]).split(separator: " ").compactMap { Double($0) }
        #expect(temperatures.count == 3 && temperatures.allSatisfy { $0 > 0 })
        #expect(recorded["bias_neutral"].flatMap(Double.init) != nil)
    }

    @Test func corruptOrMissingModelIsAConfigurationError() throws {
        let dir = try TemporaryDirectory()
        let environment = MoosicEnvironment(home: dir.url, modelsDirectory: dir.url)
        #expect(throws: MoosicError.configuration("model face_mood.onnx not found in \(dir.url.path) (set MOOSIC_MODELS to the folder that holds it)")) {
            try FaceMoodReader(environment: environment)
        }
        _ = try dir.write("face_mood.json", "{}")
        _ = try dir.write("face_mood.onnx", String(repeating: "not a model ", count: 100))
        #expect(configurationMessage { _ = try FaceMoodReader(environment: environment) }?.contains("not an ONNX model") == true)
        // A settings file that is not JSON.
        _ = try dir.write("face_mood.json", "input_size: 112")
        #expect(configurationMessage { _ = try FaceMoodReader(environment: environment) }?
            .hasPrefix("face-mood settings \(dir.url.path)/face_mood.json are not valid JSON settings: ") == true)
    }

    /// The message of the configuration error `body` throws; nil, with an issue recorded, for anything else.
    func configurationMessage(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            try body()
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch MoosicError.configuration(let message) {
            return message
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}
