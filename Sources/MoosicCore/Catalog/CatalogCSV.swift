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
        try parse(bytes: try loadBytes(url: url), name: url.lastPathComponent, progress: progress)
    }

    static func loadBytes(url: URL) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw MoosicError.fileMissing(path: url.path)
        }
        if isDirectory.boolValue { throw MoosicError.invalidData("\(url.path) is a directory, not a CSV file") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MoosicError.invalidData("cannot read \(url.path) (permission denied?)")
        }
        return [UInt8](data)
    }

    /// Parses and validates CSV bytes. Structural damage (no header, a missing column, an
    /// unterminated quote) throws; bad values are collected as problems, their rows left out.
    public static func parse(bytes: [UInt8], name: String, progress: ((Double) -> Void)? = nil) throws -> Contents {
        var rows: [CatalogRow] = []
        rows.reserveCapacity(bytes.count / 160)
        var column: ColumnIndex?
        let (problems, invalidRows) = try readRecords(bytes: bytes, name: name, required: requiredColumns, progress: progress) { validator, index in
            let c = column ?? ColumnIndex(index)
            column = c
            guard let row = validator.row(c) else { return false }
            rows.append(row)
            return true
        }
        return Contents(rows: rows, problems: problems, invalidRows: invalidRows)
    }

    /// The one loop over a CSV file of records checked by `RowValidator`: reads the header, finds the
    /// `required` columns by name (a missing one throws, with `hint(index)` appended), hands every record
    /// of the header's width to `record` (false: the row is invalid, its problems are collected) and
    /// turns the reader's structural damage (an unterminated quote) into `invalidData`.
    static func readRecords(bytes: [UInt8], name: String, required: [String], hint: ([String: Int]) -> String = { _ in "" },
                            progress: ((Double) -> Void)? = nil,
                            record: (inout RowValidator, [String: Int]) -> Bool) throws -> (problems: [Problem], invalidRows: Int) {
        var reader = CSVReader(bytes: bytes)
        var fields: [CSVReader.Field] = []
        do {
            guard try reader.readRecord(into: &fields) else {
                throw MoosicError.invalidData("\(name) is empty: expected a header line with \(required.joined(separator: ","))")
            }
            let header = fields.map { reader.string($0).trimmingCharacters(in: .whitespaces) }
            var index: [String: Int] = [:]
            for (i, column) in header.enumerated() where index[column] == nil { index[column] = i }
            let missing = required.filter { index[$0] == nil }
            guard missing.isEmpty else {
                throw MoosicError.invalidData("\(name), line 1: missing column(s) \(missing.joined(separator: ", "))\(hint(index))")
            }
            var problems: [Problem] = []
            var invalidRows = 0
            var recordsRead = 0
            while try reader.readRecord(into: &fields) {
                recordsRead += 1
                if let progress, recordsRead % 8192 == 0 { progress(reader.fractionRead) }
                var validator = RowValidator(reader: reader, fields: fields, line: reader.line)
                if fields.count != header.count {
                    validator.report(column: "-", "expected \(header.count) fields, found \(fields.count)")
                } else if record(&validator, index) {
                    continue
                }
                problems.append(contentsOf: validator.problems)
                invalidRows += 1
            }
            progress?(1)
            return (problems, invalidRows)
        } catch let problem as CSVReader.Problem {
            switch problem {
            case .unterminatedQuote(let line):
                throw MoosicError.invalidData("\(name), line \(line): a quoted field is never closed")
            case .textAfterClosingQuote(let line):
                throw MoosicError.invalidData("\(name), line \(line): text after a closing quote")
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
            let unit = 0.0...1.0
            return AudioFeatures(
                danceability: number(danceability, "danceability", in: unit),
                energy: number(energy, "energy", in: unit),
                key: integer(key, "key", in: -1...11),
                loudness: number(loudness, "loudness", in: -60...5),
                mode: mode.map { integer($0, "mode", in: 0...1) } ?? 0,
                speechiness: number(speechiness, "speechiness", in: unit),
                acousticness: number(acousticness, "acousticness", in: unit),
                instrumentalness: number(instrumentalness, "instrumentalness", in: unit),
                liveness: number(liveness, "liveness", in: unit),
                valence: number(valence, "valence", in: unit),
                tempo: number(tempo, "tempo", in: 0...Double.greatestFiniteMagnitude))
        }

        static func isSpotifyID(_ id: String) -> Bool {
            let utf8 = id.utf8
            return utf8.count == 22 && utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            }
        }
    }
}
