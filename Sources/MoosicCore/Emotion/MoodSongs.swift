import Foundation
import MoosicML

/// The mood of the playlist people filed a song under (the "data_moods" set of
/// cristobalvch/Spotify-Machine-Learning): the listener's word for the song, which the
/// song-emotion model must agree with.
public enum SongMood: String, Sendable, CaseIterable, Codable {
    case calm = "Calm", sad = "Sad", happy = "Happy", energetic = "Energetic"

    /// The happy output's label: Happy 1, Sad 0; nil for Calm and Energetic, which say nothing
    /// about the happy ↔ sad axis on their own.
    public var happyLabel: Int? {
        switch self {
        case .happy: return 1
        case .sad: return 0
        case .calm, .energetic: return nil
        }
    }

    /// The energy output's soft target: the moods in the order of their arousal in this data
    /// (mean energy 0.15 / 0.38 / 0.76 / 0.88), Calm 0, Sad ⅓, Happy ⅔, Energetic 1. An ordinal scale
    /// rather than Energetic-vs-Calm alone, which separate perfectly and so saturate the output
    /// (docs/research/emotion-research/REPORT.md, Q3).
    public var arousalTarget: Float {
        switch self {
        case .calm: return 0
        case .sad: return 1.0 / 3
        case .happy: return 2.0 / 3
        case .energetic: return 1
        }
    }

    /// The class index of the 4-mood classifier.
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// A song with the mood listeners gave it, its features in a `CatalogTrack`.
public struct MoodSong: Sendable, Equatable {
    public var track: CatalogTrack
    public var mood: SongMood
    /// The first artist, normalised: folds are dealt by artist, so no artist is on both sides.
    public var artistKey: String
}

/// Reads files with the columns of moods_dev.csv (name, album, artist, id, release_date, popularity,
/// length, the audio features but mode, time_signature, mood). Columns are found by name; values are
/// validated with the catalog's rules (`CatalogCSV`), bad rows collected as problems and left out.
public enum MoodSongsCSV {
    public static let requiredColumns = [
        "name", "album", "artist", "id", "popularity", "length", "danceability", "acousticness", "energy",
        "instrumentalness", "liveness", "valence", "loudness", "speechiness", "tempo", "key", "time_signature", "mood",
    ]

    public struct Contents: Sendable {
        public var songs: [MoodSong]
        public var problems: [CatalogCSV.Problem]
        public var invalidRows: Int
    }

    /// Reads all of a source's songs (MoosicIO's `read(url:)` reads a file); `name` is the file's, for messages.
    public static func read(source: any ByteSource, name: String) throws -> Contents {
        var songs: [MoodSong] = []
        let summary = try CatalogCSV.scanRecords(source: source, name: name, required: requiredColumns, hint: hint) { validator, index in
            try record(&validator, index) { songs.append($0) }
        }
        return Contents(songs: songs, problems: summary.problems, invalidRows: summary.invalidRows)
    }

    public static func parse(bytes: [UInt8], name: String) throws -> Contents {
        var songs: [MoodSong] = []
        var parser = CatalogCSV.Parser(name: name, required: requiredColumns, hint: hint)
        try parser.consume(bytes) { validator, index in
            try record(&validator, index) { songs.append($0) }
        }
        try parser.finish()
        return Contents(songs: songs, problems: parser.problems, invalidRows: parser.invalidRows)
    }

    static let hint: @Sendable ([String: Int]) -> String = {
        $0["track_genre"] != nil ? " (this looks like a catalog file: use --data for it)" : ""
    }

    static func record(_ validator: inout CatalogCSV.RowValidator, _ index: [String: Int], song found: (MoodSong) -> Void) throws -> Bool {
        guard let song = song(&validator, index) else { return false }
        found(song)
        return true
    }

    static func song(_ v: inout CatalogCSV.RowValidator, _ c: [String: Int]) -> MoodSong? {
        let id = v.text(c["id"]!, "id", required: false)
        if !CatalogCSV.RowValidator.isSpotifyID(id) { v.report(column: "id", "\"\(id.prefix(30))\" is not a Spotify id (22 letters and digits)") }
        let name = v.text(c["name"]!, "name", required: true)
        let artist = v.text(c["artist"]!, "artist", required: true)
        let album = v.text(c["album"]!, "album", required: false)
        let popularity = v.integer(c["popularity"]!, "popularity", in: 0...100)
        let length = v.integer(c["length"]!, "length", in: 0...Int.max)
        let features = v.audioFeatures(
            danceability: c["danceability"]!, energy: c["energy"]!, key: c["key"]!, loudness: c["loudness"]!,
            mode: c["mode"], speechiness: c["speechiness"]!, acousticness: c["acousticness"]!,
            instrumentalness: c["instrumentalness"]!, liveness: c["liveness"]!, valence: c["valence"]!, tempo: c["tempo"]!)
        let timeSignature = v.integer(c["time_signature"]!, "time_signature", in: 0...7)
        let moodText = v.text(c["mood"]!, "mood", required: true).trimmingCharacters(in: .whitespaces)
        let mood = SongMood(rawValue: moodText)
        if mood == nil, !moodText.isEmpty {
            v.report(column: "mood", "\"\(moodText.prefix(24))\" is not one of \(SongMood.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard v.problems.isEmpty, let mood else { return nil }
        let track = CatalogTrack(id: id, name: name, artists: artist, album: album, popularity: popularity,
                                 durationMs: length, explicit: false, features: features, timeSignature: timeSignature)
        let first = artist.split(separator: ";", maxSplits: 1).first.map(String.init) ?? artist
        return MoodSong(track: track, mood: mood, artistKey: first.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
