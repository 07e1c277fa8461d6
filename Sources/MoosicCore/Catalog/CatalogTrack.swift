import MoosicML
/// The audio features Spotify published per track (before the endpoint was removed in Nov 2024),
/// as the catalog keeps them.
public struct AudioFeatures: Sendable, Equatable, Codable {
    public var danceability: Double
    public var energy: Double
    public var key: Int
    public var loudness: Double
    public var mode: Int
    public var speechiness: Double
    public var acousticness: Double
    public var instrumentalness: Double
    public var liveness: Double
    public var valence: Double
    public var tempo: Double

    public init(danceability: Double, energy: Double, key: Int, loudness: Double, mode: Int,
                speechiness: Double, acousticness: Double, instrumentalness: Double,
                liveness: Double, valence: Double, tempo: Double) {
        self.danceability = danceability
        self.energy = energy
        self.key = key
        self.loudness = loudness
        self.mode = mode
        self.speechiness = speechiness
        self.acousticness = acousticness
        self.instrumentalness = instrumentalness
        self.liveness = liveness
        self.valence = valence
        self.tempo = tempo
    }
}

extension AudioFeatures {
    /// The valid range of each audio feature: the one rule set that catalog import (CatalogCSV) and
    /// the features service's answers (MoosicFeatures) are both checked against, and that the store's
    /// feature cache enforces again with CHECK constraints.
    public enum Valid {
        /// danceability, energy, speechiness, acousticness, instrumentalness, liveness, valence.
        public static let unit = 0.0...1.0
        public static let loudness = -60.0...5.0
        public static let tempo = 0.0...Double.greatestFiniteMagnitude
        public static let key = -1...11
        public static let mode = 0...1
    }

    /// The names of the features whose value breaks `Valid` (NaN included); empty when all are valid.
    public var invalidFeatures: [String] {
        let unit: [(String, Double)] = [
            ("danceability", danceability), ("energy", energy), ("speechiness", speechiness),
            ("acousticness", acousticness), ("instrumentalness", instrumentalness), ("liveness", liveness),
            ("valence", valence),
        ]
        var bad = unit.filter { !Valid.unit.contains($0.1) }.map(\.0)
        if !Valid.key.contains(key) { bad.append("key") }
        if !Valid.loudness.contains(loudness) { bad.append("loudness") }
        if !Valid.mode.contains(mode) { bad.append("mode") }
        if !Valid.tempo.contains(tempo) { bad.append("tempo") }
        return bad
    }
}

/// One song of the local catalog.
public struct CatalogTrack: Sendable, Equatable {
    public var id: String
    public var name: String
    public var artists: String
    public var album: String
    public var popularity: Int
    public var durationMs: Int
    public var explicit: Bool
    public var features: AudioFeatures
    public var timeSignature: Int

    public init(id: String, name: String, artists: String, album: String, popularity: Int, durationMs: Int,
                explicit: Bool, features: AudioFeatures, timeSignature: Int) {
        self.id = id
        self.name = name
        self.artists = artists
        self.album = album
        self.popularity = popularity
        self.durationMs = durationMs
        self.explicit = explicit
        self.features = features
        self.timeSignature = timeSignature
    }
}

/// A row of a catalog CSV: a track under one genre (the same track may come back under another).
public struct CatalogRow: Sendable, Equatable {
    public var track: CatalogTrack
    public var genre: String
    /// The 1-based line of the file the row started on.
    public var line: Int
}

/// Normalised "first artist|title", used to recognise the same song under another Spotify id.
public enum TrackMatchKey {
    public static func make(artists: String, name: String) -> String {
        let firstArtist = artists.split(separator: ";", maxSplits: 1).first.map(String.init) ?? artists
        return normalise(firstArtist) + "|" + normalise(stripVersion(name))
    }

    /// One artist's name as the artist fallback of the genre profile compares it (GenreEvidence).
    public static func artistKey(_ artist: String) -> String { normalise(artist) }

    /// Drops what distinguishes versions of one recording: "(Remastered 2011)", "[Live]", " - Radio Edit".
    static func stripVersion(_ title: String) -> String {
        // Most titles are ASCII, where a byte is a character: the same result without grapheme breaking.
        if title.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(title.utf8.count)
            var depth = 0
            for b in title.utf8 {
                if b == 0x28 || b == 0x5B { depth += 1; continue }
                if b == 0x29 || b == 0x5D { depth = max(0, depth - 1); continue }
                if depth == 0 { bytes.append(b) }
            }
            if bytes.count >= 3, let dash = (0...(bytes.count - 3)).first(where: { bytes[$0] == 0x20 && bytes[$0 + 1] == 0x2D && bytes[$0 + 2] == 0x20 }) {
                bytes.removeSubrange(dash...)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        var depth = 0
        for ch in title {
            if ch == "(" || ch == "[" { depth += 1; continue }
            if ch == ")" || ch == "]" { depth = max(0, depth - 1); continue }
            if depth == 0 { result.append(ch) }
        }
        if let dash = result.range(of: " - ") { result = String(result[..<dash.lowerBound]) }
        return result
    }

    /// Lower-case letters and digits, words separated by one space.
    static func normalise(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var pendingSpace = false
            for var b in text.utf8 {
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                    if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
                    pendingSpace = false
                    bytes.append(b)
                } else {
                    pendingSpace = true
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            // ASCII first: Unicode property look-ups are slow and most titles are ASCII.
            let isWordCharacter = scalar.isASCII
                ? (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x30 && scalar.value <= 0x39)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordCharacter {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return out
    }
}
