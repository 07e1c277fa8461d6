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
