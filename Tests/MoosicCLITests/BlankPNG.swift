import Foundation
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// A real, valid PNG of any size, all black, 1 bit per pixel: its zlib stream is one fixed-Huffman
/// deflate block of back-references, so a 20000×20000 image is a few hundred KB and writing it
/// allocates nothing near the 400 MB its pixels would take.
enum BlankPNG {
    static func data(width: Int, height: Int) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [1, 0, 0, 0, 0])  // bit depth 1, greyscale, deflate, no filter, no interlace
        png.appendChunk("IHDR", header)
        // Each row: a filter byte and width/8 rounded up pixel bytes, all zero.
        png.appendChunk("IDAT", zlibOfZeros(count: height * (1 + (width + 7) / 8)))
        png.appendChunk("IEND", Data())
        return png
    }

    /// zlib stream of `count` zero bytes: a literal 0, then (length 258, distance 1) matches.
    static func zlibOfZeros(count: Int) -> Data {
        var bits = BitWriter()
        bits.write(0b1, count: 1)  // final block
        bits.write(0b01, count: 2)  // fixed Huffman codes
        bits.writeHuffman(0b0011_0000, count: 8)  // literal 0
        var remaining = count - 1
        while remaining >= 258 {
            bits.writeHuffman(0b1100_0101, count: 8)  // length code 285: 258 bytes
            bits.writeHuffman(0b00000, count: 5)  // distance code 0: distance 1
            remaining -= 258
        }
        for _ in 0..<remaining { bits.writeHuffman(0b0011_0000, count: 8) }
        bits.writeHuffman(0, count: 7)  // end of block
        var out = Data([0x78, 0x01])
        out.append(bits.finished)
        let adler = UInt32(count % 65521) << 16 | 1  // a stays 1 over zero bytes; b adds it count times
        out.appendBigEndian(adler)
        return out
    }

    struct BitWriter {
        private var bytes = Data()
        private var current: UInt32 = 0
        private var used = 0

        /// Plain values (header fields, extra bits) go least significant bit first.
        mutating func write(_ value: UInt32, count: Int) {
            for i in 0..<count { push((value >> UInt32(i)) & 1) }
        }

        /// Huffman codes go most significant bit first.
        mutating func writeHuffman(_ code: UInt32, count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { push((code >> UInt32(i)) & 1) }
        }

        private mutating func push(_ bit: UInt32) {
            current |= bit << UInt32(used)
            used += 1
            if used == 8 { flush() }
        }

        private mutating func flush() {
            bytes.append(UInt8(current))
            current = 0
            used = 0
        }

        var finished: Data {
            var copy = self
            if copy.used > 0 { copy.flush() }
            return copy.bytes
        }
    }
}

private let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendChunk(_ type: String, _ payload: Data) {
        appendBigEndian(UInt32(payload.count))
        let typed = Data(type.utf8) + payload
        append(typed)
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in typed { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        appendBigEndian(crc ^ 0xFFFF_FFFF)
    }
}
