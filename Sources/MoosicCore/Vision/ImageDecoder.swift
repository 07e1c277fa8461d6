import CVision
import Foundation

/// What moosic needs to know of a decoded photo before face detection.
public struct DecodedImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 1 grey, 3 colour, 4 colour with alpha, as stored in the file.
    public var sourceChannels: Int
}

/// Decodes photos; behind a protocol so the pipeline can be tested without OpenCV.
public protocol ImageDecoding: Sendable {
    func decode(path: String) throws -> DecodedImage
}

/// Decodes with Debian's OpenCV through CVision.
public struct OpenCVImageDecoder: ImageDecoding {
    /// Photos above this many pixels are refused before decoding instead of exhausting memory.
    /// 50 MP covers any phone camera.
    public var maxPixels: Int64

    public init(maxPixels: Int64 = 50_000_000) {
        self.maxPixels = maxPixels
    }

    public func decode(path: String) throws -> DecodedImage {
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let status = cvision_image_load(path, maxPixels, &handle, &message, message.count)
        guard status == CVISION_OK, let handle else {
            throw Self.error(status: status, path: path, message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { cvision_image_free(handle) }
        return DecodedImage(width: Int(cvision_image_width(handle)), height: Int(cvision_image_height(handle)),
                            sourceChannels: Int(cvision_image_source_channels(handle)))
    }

    static func error(status: cvision_status, path: String, message: String) -> MoosicError {
        switch status {
        case CVISION_FILE_MISSING: return .fileMissing(path: path)
        case CVISION_UNREADABLE, CVISION_CORRUPT, CVISION_TOO_LARGE:
            return .invalidData("cannot use \(path) as a photo: \(message)")
        default: return .internalFailure("decoding \(path) failed: \(message)")
        }
    }
}
