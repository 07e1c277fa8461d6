import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MoosicCore
import MoosicIO

/// A ReccoBeats-compatible audio-features client: `GET {base}/audio-features?ids=<at most 40
/// Spotify ids, comma-separated>`, answered `{"content":[{…}]}` where an item's only link back to
/// the id asked for is its `href` (`https://open.spotify.com/track/<id>`) and ids the service does not
/// know are simply absent. Only Spotify track ids are sent, nothing else (no key, no user).
///
/// Every value of every item is checked against AudioFeatures.Valid — the rules catalog import
/// checks — and an item with a missing, non-numeric or out-of-range value is rejected, never stored.
public struct FeaturesClient: Sendable {
    public struct Answer: Sendable, Equatable {
        /// Valid features by Spotify id.
        public var found: [String: AudioFeatures] = [:]
        /// Ids asked for that the answer did not have.
        public var missing: [String] = []
        /// Ids whose item was unusable (a value missing or outside the catalog's ranges).
        public var rejected: [String] = []
    }

    public let configuration: FeaturesConfiguration
    let requester: RetryingTransport

    public init(configuration: FeaturesConfiguration, transport: HTTPTransport? = nil, sleeper: Sleeper = TaskSleeper()) {
        self.configuration = configuration
        requester = RetryingTransport(
            transport: transport ?? URLSessionTransport(requestTimeout: configuration.requestTimeout,
                                                        resourceTimeout: configuration.requestTimeout * 2),
            policy: configuration.retryPolicy, sleeper: sleeper)
    }

    /// Requests sent so far (retries included).
    public var requestCount: Int { get async { await requester.requestCount } }

    /// One batch of at most `configuration.batchSize` Spotify ids. A service fault (no answer, 5xx or
    /// 429 beyond the budget after retries, another refusal, a body that is not the expected JSON)
    /// throws `MoosicError.temporary`; the caller goes on without these features.
    public func features(ids: [String]) async throws -> Answer {
        guard let base = configuration.baseURL else { return Answer(missing: ids) }
        precondition(ids.count <= configuration.batchSize, "a features batch holds at most \(configuration.batchSize) ids")
        guard !ids.isEmpty else { return Answer() }
        var components = URLComponents(url: base.appendingPathComponent("audio-features"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "ids", value: ids.joined(separator: ","))]
        let response = try await requester.send(HTTPRequest(method: "GET", url: components.url!, headers: ["Accept": "application/json"]))
        guard response.status == 200 else {
            throw MoosicError.temporary("the features service answered \(response.status) to GET \(base.path)/audio-features")
        }
        return try Self.parse(response.body, asked: ids)
    }

    /// Reads an answer to a request for `asked`: items are matched to the ids by their href, items
    /// for ids not asked for are ignored, the first item of an id wins.
    static func parse(_ body: Data, asked: [String]) throws -> Answer {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body) else {
            throw MoosicError.temporary("the features service sent an answer that is not {\"content\":[…]} (\(body.count) bytes)")
        }
        let wanted = Set(asked)
        var answer = Answer()
        var seen = Set<String>()
        for item in envelope.content {
            guard let href = item.href, let id = Self.spotifyID(href: href), wanted.contains(id),
                  seen.insert(id).inserted else { continue }
            if let features = item.features, features.invalidFeatures.isEmpty {
                answer.found[id] = features
            } else {
                answer.rejected.append(id)
            }
        }
        answer.missing = asked.filter { !seen.contains($0) }
        return answer
    }

    struct Envelope: Decodable {
        var content: [Item]
    }

    /// One item, read leniently: a value that is missing or not a number leaves `features` nil (the
    /// item is rejected) without making the whole answer unreadable.
    struct Item: Decodable {
        var href: String?
        var features: AudioFeatures?

        enum Key: String, CodingKey {
            case href, danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo
        }

        init(from decoder: Decoder) throws {
            guard let c = try? decoder.container(keyedBy: Key.self) else { return }
            href = try? c.decode(String.self, forKey: .href)
            func number(_ key: Key) -> Double? { try? c.decode(Double.self, forKey: key) }
            func whole(_ key: Key) -> Int? {
                guard let value = number(key), value == value.rounded(), abs(value) < 1e9 else { return nil }
                return Int(value)
            }
            guard let danceability = number(.danceability), let energy = number(.energy), let key = whole(.key),
                  let loudness = number(.loudness), let mode = whole(.mode), let speechiness = number(.speechiness),
                  let acousticness = number(.acousticness), let instrumentalness = number(.instrumentalness),
                  let liveness = number(.liveness), let valence = number(.valence), let tempo = number(.tempo) else { return }
            features = AudioFeatures(danceability: danceability, energy: energy, key: key, loudness: loudness, mode: mode,
                                     speechiness: speechiness, acousticness: acousticness, instrumentalness: instrumentalness,
                                     liveness: liveness, valence: valence, tempo: tempo)
        }
    }

    /// The Spotify id of `https://open.spotify.com/track/<id>` (a query or trailing slash allowed).
    static func spotifyID(href: String) -> String? {
        guard let url = URL(string: href), let host = url.host, host.hasSuffix("spotify.com") else { return nil }
        let parts = url.path.split(separator: "/")
        guard parts.count >= 2, parts[parts.count - 2] == "track" else { return nil }
        let id = String(parts[parts.count - 1])
        return CatalogCSV.isSpotifyID(id) ? id : nil
    }
}
