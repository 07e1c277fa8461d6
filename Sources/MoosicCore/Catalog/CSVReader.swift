import Foundation
import MoosicML

/// A reader for RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, newlines inside quotes)
/// over bytes in memory. Written here rather than taken from a package because the catalog import
/// must parse 100 k rows in well under a second and report each problem by line and column; the
/// fields come back as byte ranges, so a row costs no allocation until a field is converted.
public struct CSVReader {
    public let bytes: [UInt8]
    private var position = 0
    /// The 1-based line on which the record returned last started.
    public private(set) var line = 0
    private var nextLine = 1

    /// `firstLine`: the line of the file `bytes` starts on, when they are a piece of a bigger file
    /// (a byte-order mark is skipped only at line 1).
    public init(bytes: [UInt8], firstLine: Int = 1) {
        self.bytes = bytes
        nextLine = firstLine
        // Skip a UTF-8 byte-order mark.
        if firstLine == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The line the next record would start on (after blank lines, the one after the last record).
    public var nextLineNumber: Int { nextLine }

    public var fractionRead: Double { bytes.isEmpty ? 1 : Double(position) / Double(bytes.count) }

    /// A field: a range into `bytes`, and whether it was quoted and holds doubled quotes to undo.
    public struct Field: Sendable {
        public var range: Range<Int>
        public var hasEscapedQuotes: Bool
    }

    public enum Problem: Error, Equatable {
        case unterminatedQuote(line: Int)
        case textAfterClosingQuote(line: Int)
    }

    /// Reads the next record into `fields` (reusing its storage). Returns false at the end of input.
    /// Blank lines are skipped.
    public mutating func readRecord(into fields: inout [Field]) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        // Skip blank lines.
        while position < count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            if bytes[position] == 0x0A { nextLine += 1 }
            position += 1
        }
        if position >= count { return false }
        line = nextLine
        while true {
            if position < count, bytes[position] == 0x22 {
                // Quoted field.
                let start = position + 1
                var i = start
                var escaped = false
                while true {
                    guard i < count else { throw Problem.unterminatedQuote(line: line) }
                    let b = bytes[i]
                    if b == 0x22 {
                        if i + 1 < count, bytes[i + 1] == 0x22 { escaped = true; i += 2; continue }
                        break
                    }
                    if b == 0x0A { nextLine += 1 }
                    i += 1
                }
                fields.append(Field(range: start..<i, hasEscapedQuotes: escaped))
                position = i + 1
                if position < count, bytes[position] != 0x2C, bytes[position] != 0x0A, bytes[position] != 0x0D {
                    throw Problem.textAfterClosingQuote(line: line)
                }
            } else {
                let start = position
                while position < count {
                    let b = bytes[position]
                    if b == 0x2C || b == 0x0A || b == 0x0D { break }
                    position += 1
                }
                fields.append(Field(range: start..<position, hasEscapedQuotes: false))
            }
            if position >= count { return true }
            let separator = bytes[position]
            position += 1
            if separator == 0x2C { continue }
            // End of record: CR, LF or CRLF.
            if separator == 0x0D, position < count, bytes[position] == 0x0A { position += 1 }
            nextLine += 1
            return true
        }
    }

    /// The text of a field.
    public func string(_ field: Field) -> String {
        let text = String(decoding: bytes[field.range], as: UTF8.self)
        return field.hasEscapedQuotes ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// Parses a field as a finite Double without making a String (strtod on a small stack copy).
    public func double(_ field: Field) -> Double? {
        let length = field.range.count
        guard length > 0, length < 63 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            var j = 0
            for i in field.range {
                let b = bytes[i]
                // strtod would skip leading blanks and accept hex, inf and nan: allow plain decimals only.
                guard (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D || b == 0x2B || b == 0x65 || b == 0x45 else {
                    return nil
                }
                buffer[j] = CChar(bitPattern: b)
                j += 1
            }
            buffer[j] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + j, value.isFinite else { return nil }
            return value
        }
    }

    /// Parses a field as an integer (optional sign, digits only).
    public func integer(_ field: Field) -> Int? {
        var i = field.range.lowerBound
        let end = field.range.upperBound
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
        guard i < end, end - i <= 18 else { return nil }
        var value = 0
        while i < end {
            let digit = Int(bytes[i]) - 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
            i += 1
        }
        return negative ? -value : value
    }

    /// True when the field's bytes equal `text` exactly.
    public func equals(_ field: Field, _ text: StaticString) -> Bool {
        guard field.range.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            var k = 0
            for i in field.range {
                if bytes[i] != expected[k] { return false }
                k += 1
            }
            return true
        }
    }
}
