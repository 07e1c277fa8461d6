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

    /// A Spotify id as the catalog accepts it: 22 ASCII letters and digits.
    public static func isSpotifyID(_ id: String) -> Bool { RowValidator.isSpotifyID(id) }

    public struct Contents: Sendable {
        public var rows: [CatalogRow]
        public var problems: [Problem]
        /// Lines holding at least one problem (a row is skipped once, however many problems it has).
        public var invalidRows: Int
    }

    /// Reads all of a source's rows (MoosicIO's `read(url:)` reads a file); `name` is the file's, for messages.
    public static func read(source: any ByteSource, name: String, progress: ((Double) -> Void)? = nil) throws -> Contents {
        var rows: [CatalogRow] = []
        let summary = try scan(source: source, name: name, progress: progress) { rows.append($0) }
        return Contents(rows: rows, problems: summary.problems, invalidRows: summary.invalidRows)
    }

    /// What a scan found besides the rows it handed out.
    public struct Summary: Sendable {
        /// Records read after the header, valid or not.
        public var records: Int
        public var problems: [Problem]
        public var invalidRows: Int
    }

    /// Reads and validates a source of CSV bytes (a plain file, or a decompressor over one) a chunk at a
    /// time, handing each valid row to `row` in file order, so that a big file never has to be in memory
    /// whole, as bytes or as rows.
    public static func scan(source: any ByteSource, name: String, chunkSize: Int = 4 << 20, progress: ((Double) -> Void)? = nil,
                            row: (CatalogRow) throws -> Void) throws -> Summary {
        var column: ColumnIndex?
        return try scanRecords(source: source, name: name, required: requiredColumns, chunkSize: chunkSize, progress: progress) { validator, index in
            try catalogRecord(&validator, index, &column, row: row)
        }
    }

    static func scanRecords(source: any ByteSource, name: String, required: [String],
                            hint: @escaping ([String: Int]) -> String = { _ in "" },
                            chunkSize: Int = 4 << 20, progress: ((Double) -> Void)? = nil,
                            record: (inout RowValidator, [String: Int]) throws -> Bool) throws -> Summary {
        var parser = Parser(name: name, required: required, hint: hint)
        var pending: [UInt8] = []
        while true {
            let chunk = try source.read(upToCount: chunkSize)
            let atEnd = chunk.isEmpty
            pending.append(contentsOf: chunk)
            // Parse up to the last line break outside quotes; the rest waits for the next chunk.
            let cut = atEnd ? pending.count : Self.lastRecordEnd(pending)
            if cut > 0 {
                try parser.consume(Array(pending[0..<cut]), record: record)
                pending.removeSubrange(0..<cut)
                if let progress, let fraction = source.fractionRead { progress(fraction) }
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
        var rows: [CatalogRow] = []
        rows.reserveCapacity(bytes.count / 160)
        var parser = Parser(name: name, required: requiredColumns)
        var column: ColumnIndex?
        try parser.consume(bytes, progress: progress) { validator, index in
            try catalogRecord(&validator, index, &column) { rows.append($0) }
        }
        try parser.finish()
        progress?(1)
        return Contents(rows: rows, problems: parser.problems, invalidRows: parser.invalidRows)
    }

    /// One record of a catalog file: its row handed to `row` when every value is valid.
    static func catalogRecord(_ validator: inout RowValidator, _ index: [String: Int], _ column: inout ColumnIndex?,
                              row: (CatalogRow) throws -> Void) throws -> Bool {
        let c = column ?? ColumnIndex(index)
        column = c
        guard let valid = validator.row(c) else { return false }
        try row(valid)
        return true
    }

    /// The one parser of CSV files checked by `RowValidator` (catalogs and mood files): the header,
    /// then records, fed in pieces that each end at a record's end. The `required` columns are found by
    /// name (a missing one throws, `hint(index)` appended); each record of the header's width goes to
    /// the caller's `record` (false: invalid, its problems are collected); structural damage (an
    /// unterminated quote) throws `invalidData`.
    struct Parser {
        let name: String
        let required: [String]
        let hint: ([String: Int]) -> String
        var header: [String]?
        var index: [String: Int] = [:]
        var problems: [Problem] = []
        var invalidRows = 0
        var records = 0
        /// The line the next piece starts on.
        var line = 1

        init(name: String, required: [String], hint: @escaping ([String: Int]) -> String = { _ in "" }) {
            self.name = name
            self.required = required
            self.hint = hint
        }

        mutating func consume(_ bytes: [UInt8], progress: ((Double) -> Void)? = nil,
                              record: (inout RowValidator, [String: Int]) throws -> Bool) throws {
            var reader = CSVReader(bytes: bytes, firstLine: line)
            var fields: [CSVReader.Field] = []
            do {
                if header == nil {
                    guard try reader.readRecord(into: &fields) else {
                        line = reader.nextLineNumber
                        return
                    }
                    let names = fields.map { reader.string($0).trimmingCharacters(in: .whitespaces) }
                    for (i, column) in names.enumerated() where index[column] == nil { index[column] = i }
                    let missing = required.filter { index[$0] == nil }
                    guard missing.isEmpty else {
                        throw MoosicError.invalidData("\(name), line 1: missing column(s) \(missing.joined(separator: ", "))\(hint(index))")
                    }
                    header = names
                }
                let width = header!.count
                while try reader.readRecord(into: &fields) {
                    records += 1
                    if let progress, records % 8192 == 0 { progress(reader.fractionRead) }
                    var validator = RowValidator(reader: reader, fields: fields, line: reader.line)
                    if fields.count != width {
                        validator.report(column: "-", "expected \(width) fields, found \(fields.count)")
                    } else if try record(&validator, index) {
                        continue
                    }
                    problems.append(contentsOf: validator.problems)
                    invalidRows += 1
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
                throw MoosicError.invalidData("\(name) is empty: expected a header line with \(required.joined(separator: ","))")
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
            let features = audioFeatures(
                danceability: c.danceability, energy: c.energy, key: c.key, loudness: c.loudness, mode: c.mode,
                speechiness: c.speechiness, acousticness: c.acousticness, instrumentalness: c.instrumentalness,
                liveness: c.liveness, valence: c.valence, tempo: c.tempo)
            let timeSignature = integer(c.timeSignature, "time_signature", in: 0...7)
            guard problems.isEmpty else { return nil }
            let track = CatalogTrack(id: id, name: name, artists: artists, album: album, popularity: popularity,
                                     durationMs: duration, explicit: explicit, features: features,
                                     timeSignature: timeSignature)
            let trimmedGenre = genre.first == " " || genre.last == " " ? genre.trimmingCharacters(in: .whitespaces) : genre
            return CatalogRow(track: track, genre: trimmedGenre, line: line)
        }

        /// The 11 audio features at these field indices, each checked against the range Spotify
        /// published it in; `mode` is 0 when the file has no such column (moods_dev.csv).
        mutating func audioFeatures(danceability: Int, energy: Int, key: Int, loudness: Int, mode: Int?,
                                    speechiness: Int, acousticness: Int, instrumentalness: Int, liveness: Int,
                                    valence: Int, tempo: Int) -> AudioFeatures {
            // The ranges are AudioFeatures.Valid, which the features service's answers are checked against too.
            let unit = AudioFeatures.Valid.unit
            return AudioFeatures(
                danceability: number(danceability, "danceability", in: unit),
                energy: number(energy, "energy", in: unit),
                key: integer(key, "key", in: AudioFeatures.Valid.key),
                loudness: number(loudness, "loudness", in: AudioFeatures.Valid.loudness),
                mode: mode.map { integer($0, "mode", in: AudioFeatures.Valid.mode) } ?? 0,
                speechiness: number(speechiness, "speechiness", in: unit),
                acousticness: number(acousticness, "acousticness", in: unit),
                instrumentalness: number(instrumentalness, "instrumentalness", in: unit),
                liveness: number(liveness, "liveness", in: unit),
                valence: number(valence, "valence", in: unit),
                tempo: number(tempo, "tempo", in: AudioFeatures.Valid.tempo))
        }

        static func isSpotifyID(_ id: String) -> Bool {
            let utf8 = id.utf8
            return utf8.count == 22 && utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            }
        }
    }
}
