import Foundation
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// The repository root, found from this file's path (Tests/MoosicCoreTests/…).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let catalogHeader = "track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre"

/// A valid catalog row; `overrides` replaces columns by name.
func catalogLine(id: String = "5SuOikwiRyPMVoIQDJUgSV", genre: String = "acoustic",
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
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("moosic-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}
