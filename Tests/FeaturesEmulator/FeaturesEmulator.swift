import Foundation
import MoosicCore
import MoosicIO
import MoosicSpotify

/// A loopback ReccoBeats-compatible features service for the tests, on 127.0.0.1 and a free port:
/// `GET /v1/audio-features?ids=<comma-separated Spotify ids>` answers `{"content":[…]}` with one
/// item per id it knows (its Spotify id only in `href`, its own id a UUID-like string); unknown ids
/// are absent. It enforces what the real one does (at most 40 ids: more is a 400) and injects
/// faults on demand: 429 with Retry-After, 5xx, a dropped connection, a body that is not JSON, a
/// body cut short, an item with out-of-range values, a slow answer. It records every request.
public final class FeaturesEmulator: @unchecked Sendable {
    public enum Fault: Sendable, Equatable {
        case rateLimit(retryAfter: Int)
        case serverError(status: Int)
        case dropConnection
        /// 200 with a body that is not JSON.
        case malformedBody
        /// 200 with a JSON body cut off in the middle.
        case truncatedBody
        /// The first known id's item carries energy 1.7 and loudness +12 dB (outside the catalog's ranges).
        case outOfRangeItem
        /// The right answer, after `seconds`.
        case slow(seconds: Double)
    }

    public struct Request: Sendable, Equatable {
        public var path: String
        /// The ids asked for, in order.
        public var ids: [String]

        public init(path: String, ids: [String]) {
            self.path = path
            self.ids = ids
        }
    }

    public static let maxBatch = 40

    private let lock = NSLock()
    private var known: [String: AudioFeatures]
    private var faults: [(fault: Fault, remaining: Int)] = []
    private var log: [Request] = []
    private var oversized = 0
    private var server: LoopbackHTTPServer!

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(server.port)/v1")! }
    /// Points moosic at this emulator.
    public var environment: [String: String] { ["MOOSIC_FEATURES_URL": baseURL.absoluteString] }

    /// Knows the features of `known` (Spotify id → features).
    public init(known: [String: AudioFeatures] = [:]) throws {
        self.known = known
        server = try LoopbackHTTPServer { [unowned self] request in handle(request) }
    }

    /// Knows every track of a catalog CSV.
    public convenience init(catalog: URL) throws {
        var known: [String: AudioFeatures] = [:]
        for row in try CatalogCSV.read(url: catalog).rows where known[row.track.id] == nil { known[row.track.id] = row.track.features }
        try self.init(known: known)
    }

    deinit { server?.stop() }

    public func stop() { server.stop() }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Test controls

    /// The next `times` requests meet `fault` (faults injected earlier come first).
    public func inject(_ fault: Fault, times: Int = 1) { locked { faults.append((fault, times)) } }
    public func learn(_ id: String, _ features: AudioFeatures) { locked { known[id] = features } }
    public var requests: [Request] { locked { log } }
    /// Requests that asked for more than 40 ids (answered 400).
    public var oversizedRequests: Int { locked { oversized } }
    public func clearLog() { locked { log.removeAll() } }

    // MARK: - Serving

    private func handle(_ request: LoopbackRequest) -> LoopbackReply {
        let ids = (request.query["ids"] ?? "").split(separator: ",").map(String.init)
        let (fault, features): (Fault?, [(String, AudioFeatures)]) = locked {
            log.append(Request(path: request.path, ids: ids))
            var fault: Fault?
            if let index = faults.firstIndex(where: { $0.remaining > 0 }) {
                faults[index].remaining -= 1
                fault = faults[index].fault
            }
            return (fault, ids.compactMap { id in known[id].map { (id, $0) } })
        }
        guard request.method == "GET", request.path == "/v1/audio-features" else {
            return .respond(Self.json(404, ["error": "Not Found"]))
        }
        guard !ids.isEmpty else { return .respond(Self.json(400, ["error": "ids is required"])) }
        guard ids.count <= Self.maxBatch else {
            locked { oversized += 1 }
            return .respond(Self.json(400, ["error": "at most \(Self.maxBatch) ids"]))
        }
        var items = features.map { Self.item(id: $0.0, $0.1) }
        switch fault {
        case .rateLimit(let seconds):
            return .respond(HTTPResponse(status: 429, headers: ["retry-after": String(seconds), "content-type": "application/json"],
                                         body: Data("{\"error\":\"Too Many Requests\"}".utf8)))
        case .serverError(let status):
            return .respond(Self.json(status, ["error": "Internal Server Error"]))
        case .dropConnection:
            return .dropConnection
        case .malformedBody:
            return .respond(HTTPResponse(status: 200, headers: ["content-type": "application/json"],
                                         body: Data("<html><body>upstream timeout</body></html>".utf8)))
        case .truncatedBody:
            let body = Self.json(200, ["content": items]).body
            return .respond(HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body.prefix(body.count / 2)))
        case .outOfRangeItem:
            if !items.isEmpty {
                items[0]["energy"] = 1.7
                items[0]["loudness"] = 12.0
            }
        case .slow(let seconds):
            Thread.sleep(forTimeInterval: seconds)
        case nil:
            break
        }
        return .respond(Self.json(200, ["content": items]))
    }

    /// An item as ReccoBeats answers it.
    static func item(id: String, _ f: AudioFeatures) -> [String: Any] {
        ["id": "rb-" + String(id.reversed()), "href": "https://open.spotify.com/track/\(id)",
         "acousticness": f.acousticness, "danceability": f.danceability, "energy": f.energy,
         "instrumentalness": f.instrumentalness, "key": f.key, "liveness": f.liveness, "loudness": f.loudness,
         "mode": f.mode, "speechiness": f.speechiness, "tempo": f.tempo, "valence": f.valence]
    }

    static func json(_ status: Int, _ object: [String: Any]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"],
                     body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}
