import CVision
import Foundation
import MoosicCore

/// Encodes a generated cover (CoverArt's pixels) as a JPEG file through CVision's libjpeg.
public enum CoverJPEG {
    /// Writes `pixels` to `url`; throws `internalFailure` naming the file when it cannot.
    public static func write(_ pixels: CoverArt.Pixels, to url: URL, quality: Int = 85) throws {
        precondition(pixels.rgb.count == pixels.width * pixels.height * 3, "CoverArt pixels of the wrong size")
        var message = [CChar](repeating: 0, count: 300)
        let status = pixels.rgb.withUnsafeBufferPointer { buffer in
            cvision_write_jpeg(buffer.baseAddress, Int32(pixels.width), Int32(pixels.height), Int32(quality), url.path,
                               &message, message.count)
        }
        guard status == CVISION_OK else {
            throw MoosicError.internalFailure("cannot write the cover \(url.path): \(FaceMoodReader.string(message))")
        }
    }
}
