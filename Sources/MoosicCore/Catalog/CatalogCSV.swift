import Foundation
import MoosicML

/// Reads and validates files with the columns of the Spotify Tracks dataset
/// (track_id, artists, album_name, track_name, popularity, duration_ms, explicit, the 11 audio
/// features, time_signature, track_genre). Columns are found by name; extra columns are ignored.
public enum CatalogCSV {
    public static let requiredColumns = [
        "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit",
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness", "liveness", "valence", "tempo", "time_signature", "track_genre",
    ]

    /// One invalid value: where it is and what is wrong with it.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: String
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public struct Contents: Sendable {
        public var rows: [CatalogRow]
        public var problems: [Problem]
        /// Lines holding at least one problem (a row is skipped once, however many problems it has).
        public var invalidRows: Int
    }

    /// Reads a file; a missing file is `fileMissing`, an unreadable one `invalidData`.
    public static func read(url: URL, progress: ((Double) -> Void)? = nil) throws -> Contents {
        var rows: [CatalogRow] = []
        let summary = try scan(url: url, progress: progress) { rows.append($0) }
        return Contents(rows: rows, problems: summary.problems, invalidRows: summary.invalidRows)
    }

    /// What a scan found besides the rows it handed out.
    public struct Summary: Sendable {
        /// Records read after the header, valid or not.
        public var records: Int
        public var problems: [Problem]
        public var invalidRows: Int
    }

    /// Reads and validates a file a chunk at a time, handing each valid row to `row` in file order,
    /// so that a big file never has to be in memory whole, as bytes or as rows.
    public static func scan(url: URL, chunkSize: Int = 4 << 20, progress: ((Double) -> Void)? = nil,
                            row: (CatalogRow) throws -> Void) throws -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw MoosicError.fileMissing(path: url.path)
        }
        if isDirectory.boolValue { throw MoosicError.invalidData("\(url.path) is a directory, not a CSV file") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw MoosicError.invalidData("cannot read \(url.path) (permission denied?)")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var parser = Parser(name: url.lastPathComponent)
        var pending: [UInt8] = []
        var consumed = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw MoosicError.invalidData("cannot read \(url.path): \(error.localizedDescription)")
            }
            let atEnd = chunk.isEmpty
            pending.append(contentsOf: chunk)
            // Parse up to the last line break outside quotes; the rest waits for the next chunk.
            let cut = atEnd ? pending.count : Self.lastRecordEnd(pending)
            if cut > 0 {
                try parser.consume(Array(pending[0..<cut]), row: row)
                consumed += cut
                pending.removeSubrange(0..<cut)
                if let progress, size > 0 { progress(min(1, Double(consumed) / Double(size))) }
            }
            if atEnd { break }
        }
        try parser.finish()
        progress?(1)
        return Summary(records: parser.records, problems: parser.problems, invalidRows: parser.invalidRows)
    }

    /// The index just after the last line feed of `bytes` that ends a record, given that `bytes`
    /// starts at a record's start; 0 when there is none. Quotes are read as `CSVReader` reads them:
    /// they open a quoted field only at a field's start, and `""` inside one is an escaped quote.
    static func lastRecordEnd(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var last = 0
            var fieldStart = true
            var quoted = false
            var i = 0
            while i < b.count {
                let c = b[i]
                if quoted {
                    if c == 0x22 {
                        if i + 1 < b.count, b[i + 1] == 0x22 { i += 2; continue }
                        quoted = false
                    }
                } else if c == 0x22, fieldStart {
                    quoted = true
                    fieldStart = false
                } else if c == 0x0A {
                    fieldStart = true
                    last = i + 1
                } else {
                    fieldStart = c == 0x2C || c == 0x0D
                }
                i += 1
            }
            return last
        }
    }

    /// Parses and validates CSV bytes. Structural damage (no header, a missing column, an
    /// unterminated quote) throws; bad values are collected as problems, their rows left out.
    public static func parse(bytes: [UInt8], name: String, progress: ((Double) -> Void)? = nil) throws -> Contents {
        var parser = Parser(name: name)
        var rows: [CatalogRow] = []
        rows.reserveCapacity(bytes.count / 160)
        try parser.consume(bytes, progress: progress) { rows.append($0) }
        try parser.finish()
        progress?(1)
        return Contents(rows: rows, problems: parser.problems, invalidRows: parser.invalidRows)
    }

    /// The header, then records, fed in pieces that each end at a record's end.
    struct Parser {
        let name: String
        var header: [String]?
        var column: ColumnIndex?
        var problems: [Problem] = []
        var invalidRows = 0
        var records = 0
        /// The line the next piece starts on.
        var line = 1

        init(name: String) { self.name = name }

        mutating func consume(_ bytes: [UInt8], progress: ((Double) -> Void)? = nil, row: (CatalogRow) throws -> Void) throws {
            var reader = CSVReader(bytes: bytes, firstLine: line)
            var fields: [CSVReader.Field] = []
            do {
                if header == nil {
                    guard try reader.readRecord(into: &fields) else {
                        line = reader.nextLineNumber
                        return
                    }
                    let names = fields.map { reader.string($0).trimmingCharacters(in: .whitespaces) }
                    var index: [String: Int] = [:]
                    for (i, column) in names.enumerated() where index[column] == nil { index[column] = i }
                    let missing = requiredColumns.filter { index[$0] == nil }
                    guard missing.isEmpty else {
                        throw MoosicError.invalidData("\(name), line 1: missing column(s) \(missing.joined(separator: ", "))")
                    }
                    header = names
                    column = ColumnIndex(index)
                }
                let width = header!.count
                let column = column!
                while try reader.readRecord(into: &fields) {
                    records += 1
                    if let progress, records % 8192 == 0 { progress(reader.fractionRead) }
                    var validator = RowValidator(reader: reader, fields: fields, line: reader.line)
                    if fields.count != width {
                        validator.report(column: "-", "expected \(width) fields, found \(fields.count)")
                        problems.append(contentsOf: validator.problems)
                        invalidRows += 1
                        continue
                    }
                    if let valid = validator.row(column) {
                        try row(valid)
                    } else {
                        problems.append(contentsOf: validator.problems)
                        invalidRows += 1
                    }
                }
                line = reader.nextLineNumber
            } catch let problem as CSVReader.Problem {
                switch problem {
                case .unterminatedQuote(let line):
                    throw MoosicError.invalidData("\(name), line \(line): a quoted field is never closed")
                case .textAfterClosingQuote(let line):
                    throw MoosicError.invalidData("\(name), line \(line): text after a closing quote")
                }
            }
        }

        func finish() throws {
            guard header != nil else {
                throw MoosicError.invalidData("\(name) is empty: expected a header line with \(requiredColumns.joined(separator: ","))")
            }
        }
    }

    struct ColumnIndex {
        let trackID, artists, album, name, popularity, duration, explicit: Int
        let danceability, energy, key, loudness, mode, speechiness, acousticness: Int
        let instrumentalness, liveness, valence, tempo, timeSignature, genre: Int

        init(_ index: [String: Int]) {
            trackID = index["track_id"]!; artists = index["artists"]!; album = index["album_name"]!
            name = index["track_name"]!; popularity = index["popularity"]!; duration = index["duration_ms"]!
            explicit = index["explicit"]!; danceability = index["danceability"]!; energy = index["energy"]!
            key = index["key"]!; loudness = index["loudness"]!; mode = index["mode"]!
            speechiness = index["speechiness"]!; acousticness = index["acousticness"]!
            instrumentalness = index["instrumentalness"]!; liveness = index["liveness"]!
            valence = index["valence"]!; tempo = index["tempo"]!; timeSignature = index["time_signature"]!
            genre = index["track_genre"]!
        }
    }

    /// Checks one record against the rules and builds the row when every value is valid.
    struct RowValidator {
        let reader: CSVReader
        let fields: [CSVReader.Field]
        let line: Int
        var problems: [Problem] = []

        mutating func report(column: String, _ message: String) {
            problems.append(Problem(line: line, column: column, message: message))
        }

        mutating func text(_ i: Int, _ column: String, required: Bool) -> String {
            let value = reader.string(fields[i])
            if required, value.allSatisfy(\.isWhitespace) { report(column: column, "is empty") }
            return value
        }

        mutating func number(_ i: Int, _ column: String, in range: ClosedRange<Double>) -> Double {
            guard let value = reader.double(fields[i]) else {
                report(column: column, "\(quoted(i)) is not a number")
                return 0
            }
            if !range.contains(value) {
                report(column: column, range.upperBound == .greatestFiniteMagnitude
                    ? "\(quoted(i)) is negative"
                    : "\(quoted(i)) is outside [\(format(range.lowerBound)), \(format(range.upperBound))]")
            }
            return value
        }

        mutating func integer(_ i: Int, _ column: String, in range: ClosedRange<Int>) -> Int {
            guard let value = reader.integer(fields[i]) else {
                report(column: column, "\(quoted(i)) is not a whole number")
                return 0
            }
            if !range.contains(value) {
                report(column: column, range.upperBound == .max
                    ? "\(quoted(i)) is negative"
                    : "\(quoted(i)) is outside \(range.lowerBound)..\(range.upperBound)")
            }
            return value
        }

        func quoted(_ i: Int) -> String {
            let text = reader.string(fields[i])
            return "\"" + (text.count > 24 ? String(text.prefix(24)) + "…" : text) + "\""
        }

        func format(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }

        mutating func row(_ c: ColumnIndex) -> CatalogRow? {
            let id = text(c.trackID, "track_id", required: false)
            if !Self.isSpotifyID(id) { report(column: "track_id", "\"\(id.prefix(30))\" is not a Spotify id (22 letters and digits)") }
            let artists = text(c.artists, "artists", required: true)
            let album = text(c.album, "album_name", required: false)
            let name = text(c.name, "track_name", required: true)
            let genre = text(c.genre, "track_genre", required: true)
            let popularity = integer(c.popularity, "popularity", in: 0...100)
            let duration = integer(c.duration, "duration_ms", in: 0...Int.max)
            var explicit = false
            if reader.equals(fields[c.explicit], "True") || reader.equals(fields[c.explicit], "true")
                || reader.equals(fields[c.explicit], "1") {
                explicit = true
            } else if !(reader.equals(fields[c.explicit], "False") || reader.equals(fields[c.explicit], "false")
                || reader.equals(fields[c.explicit], "0")) {
                report(column: "explicit", "\(quoted(c.explicit)) is not True or False")
            }
            let unit = 0.0...1.0
            let features = AudioFeatures(
                danceability: number(c.danceability, "danceability", in: unit),
                energy: number(c.energy, "energy", in: unit),
                key: integer(c.key, "key", in: -1...11),
                loudness: number(c.loudness, "loudness", in: -60...5),
                mode: integer(c.mode, "mode", in: 0...1),
                speechiness: number(c.speechiness, "speechiness", in: unit),
                acousticness: number(c.acousticness, "acousticness", in: unit),
                instrumentalness: number(c.instrumentalness, "instrumentalness", in: unit),
                liveness: number(c.liveness, "liveness", in: unit),
                valence: number(c.valence, "valence", in: unit),
                tempo: number(c.tempo, "tempo", in: 0...Double.greatestFiniteMagnitude))
            let timeSignature = integer(c.timeSignature, "time_signature", in: 0...7)
            guard problems.isEmpty else { return nil }
            let track = CatalogTrack(id: id, name: name, artists: artists, album: album, popularity: popularity,
                                     durationMs: duration, explicit: explicit, features: features,
                                     timeSignature: timeSignature)
            let trimmedGenre = genre.first == " " || genre.last == " " ? genre.trimmingCharacters(in: .whitespaces) : genre
            return CatalogRow(track: track, genre: trimmedGenre, line: line)
        }

        static func isSpotifyID(_ id: String) -> Bool {
            let utf8 = id.utf8
            return utf8.count == 22 && utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            }
        }
    }
}
