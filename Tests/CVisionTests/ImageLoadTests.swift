import CVision
import Foundation
import Testing

@Suite struct ImageLoadTests {
    static let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/photos")

    struct Loaded {
        var status: cvision_status
        var message: String
        var width = 0, height = 0, channels = 0
    }

    func load(_ path: String, maxPixels: Int64 = 50_000_000) -> Loaded {
        var handle: OpaquePointer?
        var buffer = [CChar](repeating: 0, count: 256)
        let status = cvision_image_load(path, maxPixels, &handle, &buffer, buffer.count)
        var result = Loaded(status: status,
                            message: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        if let handle {
            result.width = Int(cvision_image_width(handle))
            result.height = Int(cvision_image_height(handle))
            result.channels = Int(cvision_image_source_channels(handle))
            cvision_image_free(handle)
        }
        return result
    }

    func scratch(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cvision-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    static let formats = photos.appendingPathComponent("formats")

    @Test(arguments: [("grey.png", 1), ("alpha.png", 4), ("colour.bmp", 3), ("colour.webp", 3), ("colour.tiff", 3)])
    func loadsEveryFormatAndLayout(file: String, channels: Int) {
        let loaded = load(Self.formats.appendingPathComponent(file).path)
        #expect(loaded.status == CVISION_OK, "\(loaded.message)")
        #expect(loaded.width == 200 && loaded.height == 200)
        #expect(loaded.channels == channels)
    }

    @Test(arguments: ["exif-rotated.jpg", "exif-rotated.webp"])
    func appliesEXIFOrientation(file: String) {
        // Stored 240 wide and 200 tall; EXIF orientation 6 makes it 200 wide and 240 tall.
        let loaded = load(Self.formats.appendingPathComponent(file).path)
        #expect(loaded.status == CVISION_OK)
        #expect(loaded.width == 200 && loaded.height == 240)
    }

    @Test(arguments: ["grey.png", "colour.bmp", "colour.webp", "colour.tiff", "exif-rotated.jpg"])
    func pixelLimitIsCheckedFromEveryFormatsHeader(file: String) {
        let loaded = load(Self.formats.appendingPathComponent(file).path, maxPixels: 10_000)
        #expect(loaded.status == CVISION_TOO_LARGE)
        #expect(loaded.message.contains("more than the limit of 10000"))
    }

    /// A BMP with a 40-byte info header; 8-bit ones get a grey palette.
    func bmp(width: Int, height: Int, bitsPerPixel: Int, topDown: Bool = false, pixelBytes: Int? = nil) -> [UInt8] {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let palette: [UInt8] = bitsPerPixel == 8 ? (0..<256).flatMap { v -> [UInt8] in [UInt8(v), UInt8(v), UInt8(v), 0] } : []
        let stride = (width * bitsPerPixel + 31) / 32 * 4
        let offset = 14 + 40 + palette.count
        let pixels = [UInt8](repeating: 0x80, count: pixelBytes ?? stride * height)
        let fields: [(Int, Int)] = [
            (offset + pixels.count, 4), (0, 4), (offset, 4),  // file size, reserved, pixel data offset
            (40, 4), (width, 4), (topDown ? -height : height, 4), (1, 2), (bitsPerPixel, 2),
            (0, 4), (pixels.count, 4), (2835, 4), (2835, 4), (bitsPerPixel == 8 ? 256 : 0, 4), (0, 4),
        ]
        var b: [UInt8] = Array("BM".utf8)
        for (value, size) in fields { b += le(value, size) }
        return b + palette + pixels
    }

    @Test func bmpVariants() throws {
        let grey = load(try scratch("grey.bmp", bmp(width: 5, height: 3, bitsPerPixel: 8, topDown: true)))
        #expect(grey.status == CVISION_OK && grey.width == 5 && grey.height == 3 && grey.channels == 1)
        let bgra = load(try scratch("bgra.bmp", bmp(width: 4, height: 2, bitsPerPixel: 32)))
        #expect(bgra.status == CVISION_OK && bgra.width == 4 && bgra.height == 2 && bgra.channels == 4)
        let cut = load(try scratch("cut.bmp", bmp(width: 64, height: 64, bitsPerPixel: 24, pixelBytes: 100)))
        #expect(cut.status == CVISION_CORRUPT)
    }

    @Test func loadsAFixtureJPEG() {
        let loaded = load(Self.photos.appendingPathComponent("happy-1.jpg").path)
        #expect(loaded.status == CVISION_OK)
        #expect(loaded.width == 350 && loaded.height == 350)
    }

    @Test func missingFile() {
        #expect(load("/nonexistent/face.jpg").status == CVISION_FILE_MISSING)
    }

    @Test func emptyFileIsCorrupt() throws {
        let loaded = load(try scratch("empty.jpg", []))
        #expect(loaded.status == CVISION_CORRUPT)
        #expect(loaded.message.contains("0 bytes"))
    }

    @Test func textFileNamedJPEGIsCorrupt() throws {
        #expect(load(try scratch("notes.jpg", Array("just some text\n".utf8))).status == CVISION_CORRUPT)
    }

    @Test func truncatedJPEGIsCorrupt() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.photos.appendingPathComponent("happy-1.jpg")))
        let loaded = load(try scratch("cut.jpg", Array(bytes.prefix(bytes.count / 2))))
        #expect(loaded.status == CVISION_CORRUPT)
        #expect(loaded.message.contains("truncated"))
    }

    @Test func hugePNGIsRefusedBeforeDecoding() throws {
        // A PNG header claiming 20000×20000 pixels: refused from the header, nothing allocated.
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        for value in [UInt32(20000), UInt32(20000)] {
            bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        }
        bytes += [8, 0, 0, 0, 0, 0, 0, 0, 0]
        let loaded = load(try scratch("huge.png", bytes))
        #expect(loaded.status == CVISION_TOO_LARGE)
        #expect(loaded.message.contains("20000x20000"))
    }

    @Test func directoryIsUnreadable() {
        #expect(load(Self.photos.path).status == CVISION_UNREADABLE)
    }
}
