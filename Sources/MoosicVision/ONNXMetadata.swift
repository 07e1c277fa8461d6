import Foundation
import MoosicCore

/// The `metadata_props` of an ONNX model (ModelProto field 14: key/value string pairs), read by
/// walking the top-level protobuf fields without decoding the graph. The face-mood export records
/// its `input_size` there, which OpenCV 4.6 cannot report.
enum ONNXMetadata {
    /// The properties, or an empty dictionary when the file is not a well-formed protobuf message.
    static func properties(at url: URL) -> [String: String] {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return [:] }
        return data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            var properties: [String: String] = [:]
            while !reader.atEnd {
                guard let (field, wireType) = reader.tag() else { return [:] }
                if field == 14, wireType == 2, let entry = reader.lengthDelimited() {
                    var inner = Reader(bytes: entry)
                    var key: String?, value: String?
                    while !inner.atEnd {
                        guard let (f, w) = inner.tag() else { break }
                        if w == 2, let bytes = inner.lengthDelimited() {
                            if f == 1 { key = String(decoding: bytes, as: UTF8.self) }
                            if f == 2 { value = String(decoding: bytes, as: UTF8.self) }
                        } else if !inner.skip(wireType: w) {
                            break
                        }
                    }
                    if let key, let value { properties[key] = value }
                } else if !reader.skip(wireType: wireType) {
                    return [:]
                }
            }
            return properties
        }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
        init(bytes: Slice<UnsafeBufferPointer<UInt8>>) { self.bytes = UnsafeBufferPointer(rebasing: bytes) }

        var atEnd: Bool { position >= bytes.count }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard position < bytes.count else { return nil }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }

        mutating func tag() -> (field: UInt64, wireType: UInt64)? {
            guard let tag = varint(), tag >> 3 > 0 else { return nil }
            return (tag >> 3, tag & 7)
        }

        mutating func lengthDelimited() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
            let start = position
            position += Int(length)
            return bytes[start..<position]
        }

        mutating func skip(wireType: UInt64) -> Bool {
            switch wireType {
            case 0: return varint() != nil
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard bytes.count - position >= size else { return false }
                position += size
                return true
            case 2: return lengthDelimited() != nil
            default: return false
            }
        }
    }
}
