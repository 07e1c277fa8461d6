import CVision
import Foundation
import MoosicCore
import MoosicIO

/// How photos become inputs of the face-mood network. They must match its training, so they are
/// kept next to the model in `face_mood.json` (see Models/face_mood.md); fields left out take
/// these defaults.
public struct FaceMoodSettings: Sendable, Equatable, Codable {
    /// S: the network takes a [1,1,S,S] grey face, values 0..255.
    public var inputSize = 112
    /// The face is first made a grey `cropSize`² crop, as FER2013 stores faces, then resized to S.
    public var cropSize = 48
    /// Side of the square face crop / side of the detected face box.
    public var cropScale = 1.05
    /// The crop's centre moves down by this fraction of the box side.
    public var cropShift = 0.0
    /// The Haar cascade in `FaceMoodReader.cascadeDirectory`.
    public var cascade = "haarcascade_frontalface_alt2.xml"
    /// Photos are downscaled so their long side is at most this for detection.
    public var detectMaxSide = 640
    /// Border added around the photo before detection, as a fraction of its long side, so a face
    /// that fills a tight crop still has the context a Haar window needs.
    public var detectBorder = 0.15
    public var detectMinNeighbors = 3
    /// Smallest face searched first, as a fraction of the photo's short side: a portrait's face.
    public var detectMinFace = 0.2
    /// Smaller faces (down to this fraction) are searched only when the first search finds none.
    public var detectMinFaceRetry = 0.05

    public init() {}

    enum CodingKeys: String, CodingKey {
        case inputSize = "input_size", cropSize = "crop_size", cropScale = "crop_scale", cropShift = "crop_shift"
        case cascade, detectMaxSide = "detect_max_side", detectBorder = "detect_border"
        case detectMinNeighbors = "detect_min_neighbors", detectMinFace = "detect_min_face"
        case detectMinFaceRetry = "detect_min_face_retry"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FaceMoodSettings()
        inputSize = try c.decodeIfPresent(Int.self, forKey: .inputSize) ?? d.inputSize
        cropSize = try c.decodeIfPresent(Int.self, forKey: .cropSize) ?? d.cropSize
        cropScale = try c.decodeIfPresent(Double.self, forKey: .cropScale) ?? d.cropScale
        cropShift = try c.decodeIfPresent(Double.self, forKey: .cropShift) ?? d.cropShift
        cascade = try c.decodeIfPresent(String.self, forKey: .cascade) ?? d.cascade
        detectMaxSide = try c.decodeIfPresent(Int.self, forKey: .detectMaxSide) ?? d.detectMaxSide
        detectBorder = try c.decodeIfPresent(Double.self, forKey: .detectBorder) ?? d.detectBorder
        detectMinNeighbors = try c.decodeIfPresent(Int.self, forKey: .detectMinNeighbors) ?? d.detectMinNeighbors
        detectMinFace = try c.decodeIfPresent(Double.self, forKey: .detectMinFace) ?? d.detectMinFace
        detectMinFaceRetry = try c.decodeIfPresent(Double.self, forKey: .detectMinFaceRetry) ?? d.detectMinFaceRetry
    }

    var cValue: cvision_mood_settings {
        cvision_mood_settings(input_size: Int32(inputSize), crop_size: Int32(cropSize), crop_scale: cropScale,
                              crop_shift: cropShift, detect_max_side: Int32(detectMaxSide),
                              detect_border: detectBorder, detect_min_neighbors: Int32(detectMinNeighbors),
                              detect_min_face: detectMinFace, detect_min_face_retry: detectMinFaceRetry,
                              band_neutral_from: MoodBand.neutralFrom, band_happy_from: MoodBand.happyFrom)
    }
}

/// One photo's reading, with the network's own time for benchmarks.
public struct FaceMoodReading: Sendable, Equatable {
    public var mood: PhotoMood
    public var forwardMilliseconds: Double
}

/// Reads the mood of the largest face in a photo: Haar face detection, a FER2013-like grey crop,
/// the face-mood CNN (Models/face_mood.onnx) through OpenCV dnn. Loads the model once.
public final class FaceMoodReader: MoodReading, @unchecked Sendable {
    /// Where Debian's opencv-data package puts the Haar cascades.
    public static let cascadeDirectory = URL(fileURLWithPath: "/usr/share/opencv4/haarcascades", isDirectory: true)
    public static let modelFile = "face_mood.onnx"
    public static let settingsFile = "face_mood.json"

    /// The largest photo file read (`mood`, `recommend` and the page's uploads alike); bigger files
    /// are refused before they are read.
    public static let maxPhotoBytes = 32 * 1024 * 1024
    /// The most pixels a photo may have; refused from its header, before decoding.
    public static let maxPhotoPixels: Int64 = 50_000_000

    public let settings: FaceMoodSettings
    public let maxPixels: Int64
    private let model: OpaquePointer
    // One network instance is not safe to run from two threads at once.
    private let lock = NSLock()

    /// Loads face_mood.onnx and face_mood.json from MOOSIC_MODELS (or the shipped Models/).
    /// A missing, unreadable or corrupt model is a configuration error (exit 78).
    public convenience init(environment: MoosicEnvironment, maxPixels: Int64 = FaceMoodReader.maxPhotoPixels) throws {
        let modelURL = try environment.modelURL(Self.modelFile)
        let settingsURL = try environment.modelURL(Self.settingsFile)
        let settings = try Self.loadSettings(settingsURL)
        // The export records the input size in the model; a settings file from another model would
        // otherwise only show as a failed forward pass.
        if let recorded = ONNXMetadata.properties(at: modelURL)["input_size"], Int(recorded) != settings.inputSize {
            throw MoosicError.configuration("\(settingsURL.path) says input_size \(settings.inputSize) but \(modelURL.path) was exported for \(recorded)")
        }
        try self.init(modelURL: modelURL, settings: settings, maxPixels: maxPixels)
    }

    public init(modelURL: URL, settings: FaceMoodSettings, cascadeDirectory: URL = FaceMoodReader.cascadeDirectory,
                maxPixels: Int64 = FaceMoodReader.maxPhotoPixels) throws {
        self.settings = settings
        self.maxPixels = maxPixels
        var cSettings = settings.cValue
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 600)
        let cascade = cascadeDirectory.appendingPathComponent(settings.cascade).path
        let status = cvision_mood_model_load(modelURL.path, cascade, &cSettings, &handle, &message, message.count)
        guard status == CVISION_OK, let handle else {
            let text = Self.string(message)
            if status == CVISION_FILE_MISSING, text.hasPrefix("face detector") {
                throw MoosicError.configuration("\(text) (install Debian's opencv-data package)")
            }
            throw status == CVISION_INTERNAL ? MoosicError.internalFailure(text) : MoosicError.configuration(text)
        }
        model = handle
    }

    deinit { cvision_mood_model_free(model) }

    static func loadSettings(_ url: URL) throws -> FaceMoodSettings {
        do {
            return try JSONDecoder().decode(FaceMoodSettings.self, from: Data(contentsOf: url))
        } catch {
            throw MoosicError.configuration("face-mood settings \(url.path) are not valid JSON settings: \(error.localizedDescription)")
        }
    }

    public func readMood(photo: String) throws -> PhotoMood {
        try read(photo: photo).mood
    }

    /// - Parameters:
    ///   - aligned: the photo is already a face crop (like FER2013's): no detection.
    ///   - annotate: also write a copy with the face box, the band and the score (a .jpg, .jpeg or .png path).
    /// - Throws: `MoosicError.invalidData("no face found in <path>", cause: .noFace)` (exit 65) when there is no face;
    ///   `.fileMissing` (66) and `.invalidData` (65) for missing and unusable photos.
    public func read(photo: String, aligned: Bool = false, annotate: String? = nil) throws -> FaceMoodReading {
        guard let reading = try readIfFace(photo: photo, aligned: aligned, annotate: annotate) else {
            throw MoosicError.invalidData("no face found in \(photo)", cause: .noFace)
        }
        return reading
    }

    /// As `read`, but a photo without a face gives nil instead of an error (for evaluations).
    public func readIfFace(photo: String, aligned: Bool = false, annotate: String? = nil) throws -> FaceMoodReading? {
        if let annotate { try Self.checkAnnotationPath(annotate) }
        if let size = (try? FileManager.default.attributesOfItem(atPath: photo))?[.size] as? Int, size > Self.maxPhotoBytes {
            throw Self.tooLarge(photo, bytes: size)
        }
        return try reading(of: photo) { result, message in
            cvision_read_mood(model, photo, maxPixels, aligned ? 1 : 0, annotate, &result, &message, message.count)
        }
    }

    /// As `readIfFace(photo:)` for a photo file's bytes in memory (the page's camera frames and uploads:
    /// no temporary file); `name` stands for the photo in messages ("cannot use <name> as a photo: …").
    public func readIfFace(photoBytes: Data, name: String, aligned: Bool = false) throws -> FaceMoodReading? {
        guard photoBytes.count <= Self.maxPhotoBytes else { throw Self.tooLarge(name, bytes: photoBytes.count) }
        return try reading(of: name) { result, message in
            photoBytes.withUnsafeBytes { buffer in
                cvision_read_mood_bytes(model, buffer.bindMemory(to: UInt8.self).baseAddress, buffer.count, maxPixels,
                                        aligned ? 1 : 0, nil, &result, &message, message.count)
            }
        }
    }

    static func tooLarge(_ name: String, bytes: Int) -> MoosicError {
        .invalidData("cannot use \(name) as a photo: it is \(bytes) bytes, more than the limit of \(Self.maxPhotoBytes)",
                     cause: .photoTooLarge)
    }

    /// Runs one CVision reading under the lock and makes its result a reading (nil: no face) or an error
    /// naming `name`.
    private func reading(of name: String,
                         _ read: (inout cvision_mood_result, inout [CChar]) -> cvision_status) throws -> FaceMoodReading? {
        let start = DispatchTime.now().uptimeNanoseconds
        var result = cvision_mood_result()
        var message = [CChar](repeating: 0, count: 600)
        let status = lock.withLock { read(&result, &message) }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        switch status {
        case CVISION_OK:
            let face = result.face_w > 0 ? FaceBox(x: Int(result.face_x), y: Int(result.face_y),
                                                   w: Int(result.face_w), h: Int(result.face_h)) : nil
            let probabilities = result.has_probabilities != 0
                ? MoodProbabilities(happy: result.probabilities.0, neutral: result.probabilities.1, sad: result.probabilities.2) : nil
            return FaceMoodReading(mood: PhotoMood(score: result.score, facesFound: Int(result.faces_found), face: face,
                                                   milliseconds: milliseconds, probabilities: probabilities),
                                   forwardMilliseconds: result.forward_ms)
        case CVISION_NO_FACE:
            return nil
        case CVISION_WRITE_FAILED:
            throw MoosicError.usage(Self.string(message))
        default:
            throw Self.error(status: status, path: name, message: Self.string(message))
        }
    }

    /// The annotated copy is written as JPEG or PNG, chosen by the extension.
    public static func checkAnnotationPath(_ path: String) throws {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard ["jpg", "jpeg", "png"].contains(ext) else {
            throw MoosicError.usage("--annotate needs a .jpg, .jpeg or .png path, not \(path)")
        }
    }

    /// A CVision status as the error a user sees: the photo's fault (65, 66) or moosic's (1).
    static func error(status: cvision_status, path: String, message: String) -> MoosicError {
        switch status {
        case CVISION_FILE_MISSING: return .fileMissing(path: path)
        case CVISION_UNREADABLE, CVISION_CORRUPT:
            return .invalidData("cannot use \(path) as a photo: \(message)", cause: .unreadablePhoto)
        case CVISION_TOO_LARGE:
            return .invalidData("cannot use \(path) as a photo: \(message)", cause: .photoTooLarge)
        default: return .internalFailure("decoding \(path) failed: \(message)")
        }
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
