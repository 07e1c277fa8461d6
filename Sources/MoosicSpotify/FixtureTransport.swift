import Foundation
import MoosicCore
import MoosicIO

/// Serves a user's library from fixture files in the 2026 response shapes (see Fixtures/README.md),
/// for `--offline` runs through the same sync code as online ones: `me.json`,
/// `me-playlists-<offset>.json`, `playlists/<id>/items-<offset>.json`, `me-tracks-<offset>.json`.
/// Items of a playlist without files answer 403, as Development Mode does for others' playlists.
public struct FixtureTransport: HTTPTransport {
    public static let baseURL = URL(string: "https://api.spotify.com/v1")!
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == "GET" else {
            return Self.error(405, "offline: the fixture library is read-only")
        }
        let basePath = Self.baseURL.path
        var path = request.url.path
        if path.hasPrefix(basePath) { path.removeFirst(basePath.count) }
        let offset = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?
            .queryItems?.first { $0.name == "offset" }?.value ?? "0"
        let parts = path.split(separator: "/").map(String.init)
        let file: String
        switch parts {
        case ["me"]: file = "me.json"
        case ["me", "playlists"]: file = "me-playlists-\(offset).json"
        case ["me", "tracks"]: file = "me-tracks-\(offset).json"
        case _ where parts.count == 3 && parts[0] == "playlists" && parts[2] == "items":
            let folder = directory.appendingPathComponent("playlists/\(parts[1])")
            guard FileManager.default.fileExists(atPath: folder.path) else {
                return Self.error(403, "Forbidden")
            }
            file = "playlists/\(parts[1])/items-\(offset).json"
        default:
            return Self.error(404, "Not found")
        }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)) else {
            return Self.error(404, "no fixture \(file) in \(directory.path)")
        }
        return HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: data)
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        let body = try! JSONSerialization.data(withJSONObject: ["error": ["status": status, "message": message]])
        return HTTPResponse(status: status, headers: ["content-type": "application/json"], body: body)
    }
}

extension MoosicEnvironment {
    /// Fixtures/spotify/<user>/ of the shipped fixtures, or `fileMissing` (66) when there is no
    /// fixture library for that user.
    public func fixtureLibraryDirectory(user: String) throws -> URL {
        let directory = try fixturesDirectory().appendingPathComponent("spotify/\(user)", isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("me.json").path) else {
            throw MoosicError.fileMissing(path: directory.appendingPathComponent("me.json").path)
        }
        return directory
    }
}
