import Foundation

// What the test suites share: the repository root, catalog rows to write, scratch folders.

/// The repository root, found from this file's path (Tests/TestSupport/…).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The fixture listener and the Spotify pages of their library (Fixtures/spotify/moosicdemo).
public let fixtureUser = "moosicdemo"
public let fixtureLibrary = repositoryRoot.appendingPathComponent("Fixtures/spotify/moosicdemo")

public let catalogHeader = "track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre"

/// A valid catalog row; `overrides` replaces columns by name.
public func catalogLine(id: String = "5SuOikwiRyPMVoIQDJUgSV", genre: String = "acoustic",
                 _ overrides: [String: String] = [:]) -> String {
    var values: [String: String] = [
        "track_id": id, "artists": "Gen Hoshino", "album_name": "Comedy", "track_name": "Comedy",
        "popularity": "73", "duration_ms": "230666", "explicit": "False", "danceability": "0.676",
        "energy": "0.461", "key": "1", "loudness": "-6.746", "mode": "0", "speechiness": "0.143",
        "acousticness": "0.0322", "instrumentalness": "1.01e-06", "liveness": "0.358", "valence": "0.715",
        "tempo": "87.917", "time_signature": "4", "track_genre": genre,
    ]
    for (key, value) in overrides { values[key] = value }
    return catalogHeader.split(separator: ",").map { values[String($0)]! }.joined(separator: ",")
}

/// A scratch directory removed when the value is released.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("moosic-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}

/// The header of moods_dev.csv (the "data_moods" set): what `train/eval emotion --moods` read.
public let moodsHeader = "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,liveness,valence,loudness,speechiness,tempo,key,time_signature,mood"

/// A synthetic moods file: `perMood` songs of each mood by `perMood / 2` artists, their features
/// drawn around each mood's means in moods_dev.csv (Calm: quiet, acoustic, instrumental; Sad: low
/// valence, mid energy; Happy: high valence and energy; Energetic: highest energy, mid valence), so
/// the tests train on something shaped like the real data without shipping it.
public func moodsCSV(perMood: Int = 30, seed: UInt64 = 1) -> String {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func unit() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    func around(_ mean: Double, _ spread: Double) -> Double { min(1, max(0, mean + (unit() - 0.5) * 2 * spread)) }
    let means: [(mood: String, energy: Double, valence: Double, acoustic: Double, instrumental: Double)] = [
        ("Calm", 0.15, 0.15, 0.9, 0.85), ("Sad", 0.38, 0.25, 0.5, 0.05),
        ("Happy", 0.72, 0.70, 0.15, 0.02), ("Energetic", 0.9, 0.45, 0.05, 0.1),
    ]
    var lines = [moodsHeader]
    var n = 0
    for m in means {
        for i in 0..<perMood {
            n += 1
            let id = String(format: "%022d", n)
            let energy = around(m.energy, 0.12)
            let fields = ["Song \(n)", "Album", "\(m.mood) Artist \(i / 2)", id, "2001-01-01", "50", String(180_000 + n * 100),
                          String(around(0.55, 0.2)), String(around(m.acoustic, 0.1)), String(energy),
                          String(around(m.instrumental, 0.05)), String(around(0.15, 0.05)), String(around(m.valence, 0.15)),
                          String(-30 + 25 * energy), String(around(0.05, 0.03)), String(90 + 60 * energy), "5", "4", m.mood]
            lines.append(fields.joined(separator: ","))
        }
    }
    return lines.joined(separator: "\n") + "\n"
}
