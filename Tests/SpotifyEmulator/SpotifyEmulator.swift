import Crypto
import Foundation
import MoosicCore
import MoosicIO
import MoosicSpotify

/// A loopback Spotify for the tests: the accounts service (/accounts/authorize, /accounts/api/token)
/// and the Web API (/v1/…) on 127.0.0.1 and a free port, serving one fixture user in the 2026
/// response shapes. It checks what real Spotify checks (PKCE S256, bearer tokens, page limits ≤ 50,
/// write batches ≤ 100, Development Mode's 403 for others' playlist items) and injects failures on
/// demand: 429 with Retry-After, 5xx, expired access tokens, revoked refresh tokens, a connection
/// dropped in the middle of a write.
public final class SpotifyEmulator: @unchecked Sendable {
    public enum Fault: Sendable {
        case rateLimit(retryAfter: Int)
        case serverError(status: Int)
        /// Apply the request, then close the connection without an answer.
        case dropAfterApplying
    }

    public struct Request: Sendable, CustomStringConvertible {
        public var method: String
        public var path: String
        public var query: [String: String]
        public var description: String { "\(method) \(path)" }
    }

    public let clientID = "moosic-emulator-client"
    public let userID: String
    /// The URIs of the distinct tracks in the fixture library, Liked Songs first.
    public let fixtureTrackURIs: [String]
    /// Seconds an issued access token lives.
    private let accessTokenLifetime = 3600
    /// Whether a refresh answer carries a new refresh token (Spotify may or may not rotate it).
    public var rotateRefreshTokens: Bool {
        get { locked { rotating } }
        set { locked { rotating = newValue } }
    }
    private var rotating = false

    /// The scopes the next logins and refreshes are granted (a login made before moosic asked for
    /// `ugc-image-upload` lacks it).
    public var grantedScopes: [String] {
        get { locked { scopes } }
        set { locked { scopes = newValue } }
    }
    private var scopes = SpotifyConfiguration.scopes

    /// A cover sent with PUT /playlists/{id}/images: the decoded JPEG.
    public struct CoverUpload: Sendable {
        public var playlistID: String
        public var jpeg: Data
    }
    public var coverUploads: [CoverUpload] { locked { covers } }
    private var covers: [CoverUpload] = []

    private struct Playlist {
        var object: [String: Any]
        var entries: [[String: Any]]
        var deleted = false
        var id: String { object["id"] as! String }
        var ownerID: String { (object["owner"] as! [String: Any])["id"] as! String }
        var collaborative: Bool { object["collaborative"] as? Bool ?? false }
    }

    private struct PendingCode { var challenge: String; var redirectURI: String }
    private struct FaultRule { var method: String?; var path: String; var fault: Fault; var remaining: Int }

    private let lock = NSLock()
    private var me: [String: Any]
    private var playlists: [Playlist] = []
    private var liked: [[String: Any]] = []
    private var tracks: [String: [String: Any]] = [:]
    private var codes: [String: PendingCode] = [:]
    private var accessTokens: [String: Date] = [:]
    private var accessTokenScopes: [String: Set<String>] = [:]
    private var refreshTokens: Set<String> = []
    private var revoked: Set<String> = []
    private var issued: [String] = []
    private var log: [Request] = []
    private var faults: [FaultRule] = []
    private var noLongerCollaborating: Set<String> = []
    private var server: LoopbackHTTPServer!

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(server.port)")! }
    public var apiURL: URL { baseURL.appendingPathComponent("v1") }
    public var accountsURL: URL { baseURL.appendingPathComponent("accounts") }

    /// The environment variables that point moosic at this emulator. The features service is turned
    /// off (MOOSIC_FEATURES_URL empty) so that no test reaches the real one; tests of it add the
    /// FeaturesEmulator's environment.
    public var environment: [String: String] {
        ["MOOSIC_SPOTIFY_API_URL": apiURL.absoluteString, "MOOSIC_SPOTIFY_ACCOUNTS_URL": accountsURL.absoluteString,
         "MOOSIC_CLIENT_ID": clientID, "MOOSIC_FEATURES_URL": ""]
    }

    /// Serves the user of `fixtures` (e.g. Fixtures/spotify/moosicdemo).
    /// `catalog`: a catalog CSV whose songs Spotify should also know (the fixture library alone
    /// holds only the user's own songs, and a recommendation brings new ones).
    public init(fixtures: URL, catalog: URL? = nil) throws {
        func load(_ name: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name))) as! [String: Any]
        }
        func pages(_ prefix: String) throws -> [[String: Any]] {
            var items: [[String: Any]] = []
            var offset = 0
            while FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("\(prefix)\(offset).json").path) {
                let page = try load("\(prefix)\(offset).json")
                let pageItems = page["items"] as! [[String: Any]]
                items += pageItems
                offset += pageItems.count
                if pageItems.isEmpty { break }
            }
            return items
        }
        me = try load("me.json")
        userID = me["id"] as! String
        for object in try pages("me-playlists-") {
            let id = object["id"] as! String
            let entries = FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("playlists/\(id)").path)
                ? try pages("playlists/\(id)/items-") : []
            playlists.append(Playlist(object: object, entries: entries))
        }
        liked = try pages("me-tracks-")
        var order: [String] = []
        for entry in liked + playlists.flatMap(\.entries) {
            if let track = (entry["item"] ?? entry["track"]) as? [String: Any], track["type"] as? String == "track",
               let id = track["id"] as? String, tracks[id] == nil {
                tracks[id] = track
                order.append("spotify:track:\(id)")
            }
        }
        fixtureTrackURIs = order
        if let catalog {
            for row in try CatalogCSV.read(url: catalog).rows where tracks[row.track.id] == nil {
                let t = row.track
                tracks[t.id] = ["id": t.id, "name": t.name, "type": "track", "uri": "spotify:track:\(t.id)",
                                "duration_ms": t.durationMs, "explicit": t.explicit, "is_local": false,
                                "artists": t.artists.split(separator: ";").map { ["name": String($0), "type": "artist"] }]
            }
        }
        server = try LoopbackHTTPServer { [unowned self] request in handle(request) }
    }

    deinit { server?.stop() }

    public func stop() { server.stop() }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Test controls

    /// The next `times` requests to `path` (a path under /v1 or /accounts, e.g. "/v1/me/tracks";
    /// a trailing "*" matches a prefix, a "*" segment elsewhere any one segment: "/v1/playlists/*/images") by `method` (any when nil) meet `fault`.
    public func inject(_ fault: Fault, method: String? = nil, path: String, times: Int = 1) {
        locked { faults.append(FaultRule(method: method, path: path, fault: fault, remaining: times)) }
    }

    public func expireAccessTokens() { locked { for key in accessTokens.keys { accessTokens[key] = .distantPast } } }
    public func revokeRefreshTokens() { locked { revoked.formUnion(refreshTokens) } }

    /// Every access and refresh token the emulator ever issued (to scan outputs for leaks).
    public var issuedTokens: [String] { locked { issued } }
    public var requests: [Request] { locked { log } }
    public func clearLog() { locked { log.removeAll() } }

    /// The playlists the user owns that are not from the fixture, i.e. those moosic made.
    public func createdPlaylists() -> [(id: String, name: String, description: String, uris: [String])] {
        locked {
            playlists.filter { !$0.deleted && $0.object["moosic_emulator_created"] as? Bool == true }.map {
                ($0.id, $0.object["name"] as! String, $0.object["description"] as? String ?? "",
                 $0.entries.map { (($0["item"] as! [String: Any])["uri"] as! String) })
            }
        }
    }

    /// A user deleting a playlist in the Spotify app.
    public func deletePlaylist(_ id: String) {
        locked { if let index = playlists.firstIndex(where: { $0.id == id }) { playlists[index].deleted = true } }
    }

    /// Someone editing a playlist: a new snapshot and the first entry dropped.
    public func editPlaylist(_ id: String) {
        locked {
            guard let index = playlists.firstIndex(where: { $0.id == id }) else { return }
            if !playlists[index].entries.isEmpty { playlists[index].entries.removeFirst() }
            playlists[index].object["snapshot_id"] = Self.randomID(32)
        }
    }

    // What a listener does in the Spotify app between two runs of moosic.

    /// Removes these tracks from a playlist (every entry of each), as the app's "Remove from this
    /// playlist" does: a new snapshot.
    public func removeItems(from id: String, uris: [String]) {
        locked {
            guard let index = playlists.firstIndex(where: { $0.id == id && !$0.deleted }) else { return }
            let gone = Set(uris)
            playlists[index].entries.removeAll { (($0["item"] as? [String: Any])?["uri"] as? String).map(gone.contains) ?? false }
            playlists[index].object["snapshot_id"] = Self.randomID(32)
        }
    }

    /// Saves tracks the emulator knows to Liked Songs (newest first, as GET /me/tracks lists them).
    public func saveTracks(_ uris: [String]) {
        locked {
            for uri in uris {
                guard let track = tracks[String(uri.dropFirst("spotify:track:".count))] else { continue }
                liked.insert(["added_at": ISO8601DateFormatter().string(from: Date()), "track": track], at: 0)
            }
        }
    }

    /// Adds tracks to one of the user's playlists (at its end), with a new snapshot.
    public func addItems(to id: String, uris: [String]) {
        locked {
            guard let index = playlists.firstIndex(where: { $0.id == id && !$0.deleted }) else { return }
            for uri in uris {
                guard let track = tracks[String(uri.dropFirst("spotify:track:".count))] else { continue }
                playlists[index].entries.append(entry(track))
            }
            playlists[index].object["snapshot_id"] = Self.randomID(32)
        }
    }

    /// The user's own playlists from the fixture (not moosic's), by id and name.
    public func ownPlaylists() -> [(id: String, name: String)] {
        locked {
            playlists.filter { !$0.deleted && $0.ownerID == userID && $0.object["moosic_emulator_created"] as? Bool != true }
                .map { ($0.id, $0.object["name"] as! String) }
        }
    }

    /// The owner of a collaborative playlist removing the user from it: the playlist still shows as
    /// collaborative in GET /me/playlists, but its items answer 403.
    public func removeCollaborator(from id: String) { locked { _ = noLongerCollaborating.insert(id) } }

    // MARK: - Serving

    private func handle(_ request: LoopbackRequest) -> LoopbackReply {
        lock.lock()
        defer { lock.unlock() }
        log.append(Request(method: request.method, path: request.path, query: request.query))
        var dropAfter = false
        if let index = faults.firstIndex(where: { rule in
            rule.remaining > 0 && (rule.method == nil || rule.method == request.method) && Self.matches(rule.path, request.path)
        }) {
            faults[index].remaining -= 1
            switch faults[index].fault {
            case .rateLimit(let seconds):
                return .respond(Self.error(429, "API rate limit exceeded", headers: ["retry-after": String(seconds)]))
            case .serverError(let status):
                return .respond(Self.error(status, "Server error"))
            case .dropAfterApplying:
                dropAfter = true
            }
        }
        let response: HTTPResponse
        if request.method == "GET", request.path == "/emulator/state" {
            // For tests in another process (Scripts/browser-test.py): what moosic made, no tokens.
            response = Self.json(200, [
                "cover_uploads": covers.map { ["playlist_id": $0.playlistID, "bytes": $0.jpeg.count] },
                "created_playlists": playlists.filter { !$0.deleted && $0.object["moosic_emulator_created"] as? Bool == true }
                    .map { ["id": $0.id, "name": $0.object["name"] as! String, "tracks": $0.entries.count] },
            ])
            return .respond(response)
        } else if request.path.hasPrefix("/accounts/") {
            response = accounts(request)
        } else if request.path.hasPrefix("/v1/") {
            response = api(request, path: String(request.path.dropFirst("/v1".count)))
        } else {
            response = Self.error(404, "Not found")
        }
        if !dropAfter { record(request, response) }
        return dropAfter ? .dropConnection : .respond(response)
    }

    /// With SPOTIFY_EMULATOR_RECORD=<file>, every answer is appended to that file as a JSON line, for
    /// Scripts/check-spotify-emulator.py to check against the Web API's OpenAPI description.
    private static let recordFile = ProcessInfo.processInfo.environment["SPOTIFY_EMULATOR_RECORD"].flatMap { path -> FileHandle? in
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        return FileHandle(forWritingAtPath: path)
    }
    private static let recordLock = NSLock()

    private func record(_ request: LoopbackRequest, _ response: HTTPResponse) {
        guard let file = Self.recordFile else { return }
        let body = (try? JSONSerialization.jsonObject(with: response.body)) ?? NSNull()
        let line: [String: Any] = ["method": request.method, "path": request.path, "status": response.status,
                                   "content_type": response.headers["content-type"] ?? "", "body": body]
        guard var data = try? JSONSerialization.data(withJSONObject: line) else { return }
        data.append(0x0A)
        Self.recordLock.lock()
        file.seekToEndOfFile()
        file.write(data)
        Self.recordLock.unlock()
    }

    private func accounts(_ request: LoopbackRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/accounts/authorize"):
            let q = request.query
            guard q["client_id"] == clientID else { return Self.oauthError(400, "invalid_client") }
            guard q["response_type"] == "code", q["code_challenge_method"] == "S256",
                  let challenge = q["code_challenge"], challenge.count == 43,
                  let redirect = q["redirect_uri"], let redirectURL = URL(string: redirect),
                  redirectURL.scheme == "http", redirectURL.host == "127.0.0.1", redirectURL.path == "/callback",
                  let state = q["state"], !state.isEmpty else {
                return Self.oauthError(400, "invalid_request")
            }
            let code = Self.randomID(40)
            codes[code] = PendingCode(challenge: challenge, redirectURI: redirect)
            var location = URLComponents(string: redirect)!
            location.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: state)]
            return HTTPResponse(status: 302, headers: ["location": location.url!.absoluteString])
        case ("POST", "/accounts/api/token"):
            guard request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true else {
                return Self.oauthError(400, "invalid_request")
            }
            let form = request.formFields
            guard form["client_id"] == clientID else { return Self.oauthError(400, "invalid_client") }
            switch form["grant_type"] {
            case "authorization_code":
                guard let code = form["code"], let pending = codes.removeValue(forKey: code),
                      form["redirect_uri"] == pending.redirectURI, let verifier = form["code_verifier"],
                      (43...128).contains(verifier.count),
                      Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8)))) == pending.challenge else {
                    return Self.oauthError(400, "invalid_grant")
                }
                return issueTokens(refresh: true)
            case "refresh_token":
                guard let token = form["refresh_token"], refreshTokens.contains(token), !revoked.contains(token) else {
                    return Self.oauthError(400, "invalid_grant")
                }
                return issueTokens(refresh: rotating)
            default:
                return Self.oauthError(400, "unsupported_grant_type")
            }
        default:
            return Self.error(404, "Not found")
        }
    }

    private func issueTokens(refresh: Bool) -> HTTPResponse {
        let access = "EMUACCESS" + Self.randomID(48)
        accessTokens[access] = Date().addingTimeInterval(TimeInterval(accessTokenLifetime))
        accessTokenScopes[access] = Set(scopes)
        issued.append(access)
        var answer: [String: Any] = ["access_token": access, "token_type": "Bearer", "expires_in": accessTokenLifetime,
                                     "scope": scopes.joined(separator: " ")]
        if refresh {
            let token = "EMUREFRESH" + Self.randomID(48)
            refreshTokens.insert(token)
            issued.append(token)
            answer["refresh_token"] = token
        }
        return Self.json(200, answer)
    }

    private static let removedEndpoints = ["/audio-features", "/recommendations", "/users/"]

    private func api(_ request: LoopbackRequest, path: String) -> HTTPResponse {
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer "),
              let expiry = accessTokens[String(authorization.dropFirst("Bearer ".count))] else {
            return Self.error(401, "Invalid access token")
        }
        guard expiry > Date() else { return Self.error(401, "The access token expired") }
        let token = String(authorization.dropFirst("Bearer ".count))
        let parts = path.split(separator: "/").map(String.init)
        if parts.count == 3 && parts[0] == "playlists" && parts[2] == "images" && request.method == "PUT" {
            return uploadCover(request, id: parts[1], scopes: accessTokenScopes[token] ?? [])
        }
        if Self.removedEndpoints.contains(where: { path.hasPrefix($0) }) || (parts.count == 3 && parts[2] == "tracks" && parts[0] == "playlists") {
            // Gone for Development Mode apps since the 2024–2026 changes.
            return Self.error(403, "Forbidden: endpoint not available")
        }
        let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
        switch (request.method, parts) {
        case ("GET", ["me"]):
            return Self.json(200, me)
        case ("GET", ["me", "playlists"]):
            return page(request, path: path, items: playlists.filter { !$0.deleted }.map(summary))
        case ("POST", ["me", "playlists"]):
            return createPlaylist(request, body: body)
        case (_, _) where parts.count == 2 && parts[0] == "playlists":
            return playlistDetails(request, id: parts[1], body: body)
        case (_, _) where parts.count == 3 && parts[0] == "playlists" && parts[2] == "items":
            return playlistItems(request, id: parts[1], path: path, body: body)
        case ("GET", ["me", "tracks"]):
            return page(request, path: path, items: liked)
        default:
            return Self.error(404, "Service not found")
        }
    }

    /// POST /me/playlists.
    private func createPlaylist(_ request: LoopbackRequest, body: [String: Any]) -> HTTPResponse {
        guard let name = body["name"] as? String, !name.isEmpty else { return Self.error(400, "Missing name") }
        let id = Self.randomID(22)
        var object: [String: Any] = [
            "id": id, "name": name, "description": body["description"] as? String ?? "",
            "collaborative": body["collaborative"] as? Bool ?? false, "public": body["public"] as? Bool ?? true,
            "owner": ownerObject(), "snapshot_id": Self.randomID(32), "type": "playlist",
            "uri": "spotify:playlist:\(id)", "href": apiURL.appendingPathComponent("playlists/\(id)").absoluteString,
            "external_urls": ["spotify": "https://open.spotify.com/playlist/\(id)"], "images": [],
        ]
        object["moosic_emulator_created"] = true
        playlists.insert(Playlist(object: object, entries: []), at: 0)
        return Self.json(201, full(playlists[0], request: request))
    }

    /// PUT /playlists/{id}/images: a base64 JPEG of at most 256 KB, with the ugc-image-upload scope.
    private func uploadCover(_ request: LoopbackRequest, id: String, scopes: Set<String>) -> HTTPResponse {
        guard scopes.contains("ugc-image-upload") else { return Self.error(403, "Insufficient client scope") }
        guard let index = playlists.firstIndex(where: { $0.id == id && !$0.deleted }) else {
            return Self.error(404, "Resource not found")
        }
        guard playlists[index].ownerID == userID else { return Self.error(403, "Forbidden") }
        guard request.body.count <= 256 * 1024 else { return Self.error(413, "Payload too large") }
        guard request.headers["content-type"]?.hasPrefix("image/jpeg") == true,
              let jpeg = Data(base64Encoded: request.body), jpeg.starts(with: [0xFF, 0xD8, 0xFF]) else {
            return Self.error(400, "Bad request: the body must be a base64 JPEG")
        }
        covers.append(CoverUpload(playlistID: id, jpeg: jpeg))
        playlists[index].object["images"] = [["url": "https://image-cdn.example/\(id)", "height": NSNull(), "width": NSNull()]]
        return HTTPResponse(status: 202)
    }

    /// GET or PUT /playlists/{id}.
    private func playlistDetails(_ request: LoopbackRequest, id: String, body: [String: Any]) -> HTTPResponse {
        guard let index = playlists.firstIndex(where: { $0.id == id && !$0.deleted }) else {
            return Self.error(404, "Resource not found")
        }
        if request.method == "GET" { return Self.json(200, full(playlists[index], request: request)) }
        guard request.method == "PUT" else { return Self.error(405, "Method not allowed") }
        guard playlists[index].ownerID == userID else { return Self.error(403, "Forbidden") }
        for key in ["name", "description", "public", "collaborative"] where body[key] != nil {
            playlists[index].object[key] = body[key]
        }
        return HTTPResponse(status: 200)
    }

    /// GET, PUT (replace) or POST (append) /playlists/{id}/items.
    private func playlistItems(_ request: LoopbackRequest, id: String, path: String, body: [String: Any]) -> HTTPResponse {
        guard let index = playlists.firstIndex(where: { $0.id == id && !$0.deleted }) else {
            return Self.error(404, "Resource not found")
        }
        let playlist = playlists[index]
        guard playlist.ownerID == userID || (playlist.collaborative && !noLongerCollaborating.contains(id)) else {
            return Self.error(403, "Forbidden")
        }
        switch request.method {
        case "GET":
            return page(request, path: path, items: playlist.entries)
        case "PUT", "POST":
            guard let uris = body["uris"] as? [String] else { return Self.error(400, "Missing uris") }
            guard uris.count <= 100 else { return Self.error(400, "Too many ids requested") }
            var entries: [[String: Any]] = []
            for uri in uris {
                // Like Spotify, refuse what is not a known track (the emulator knows the fixture's).
                guard uri.hasPrefix("spotify:track:"), let track = tracks[String(uri.dropFirst("spotify:track:".count))] else {
                    return Self.error(400, "Invalid base62 id")
                }
                entries.append(entry(track))
            }
            playlists[index].entries = request.method == "PUT" ? entries : playlist.entries + entries
            let snapshot = Self.randomID(32)
            playlists[index].object["snapshot_id"] = snapshot
            return Self.json(request.method == "PUT" ? 200 : 201, ["snapshot_id": snapshot])
        default:
            return Self.error(405, "Method not allowed")
        }
    }

    private func page(_ request: LoopbackRequest, path: String, items: [[String: Any]]) -> HTTPResponse {
        let limit = Int(request.query["limit"] ?? "20") ?? -1
        let offset = Int(request.query["offset"] ?? "0") ?? -1
        guard (1...50).contains(limit), offset >= 0 else { return Self.error(400, "Invalid limit or offset") }
        let slice = offset < items.count ? Array(items[offset..<min(offset + limit, items.count)]) : []
        func link(_ offset: Int) -> String {
            apiURL.absoluteString + path + "?offset=\(offset)&limit=\(limit)"
        }
        return Self.json(200, [
            "href": link(offset), "items": slice, "limit": limit, "offset": offset, "total": items.count,
            "next": offset + limit < items.count ? link(offset + limit) : NSNull(),
            "previous": offset > 0 ? link(max(offset - limit, 0)) : NSNull(),
        ])
    }

    private func ownerObject() -> [String: Any] {
        ["id": userID, "display_name": me["display_name"] ?? NSNull(), "type": "user", "uri": "spotify:user:\(userID)",
         "href": apiURL.appendingPathComponent("users/\(userID)").absoluteString, "external_urls": [:] as [String: Any]]
    }

    private func summary(_ playlist: Playlist) -> [String: Any] {
        var object = playlist.object
        object.removeValue(forKey: "moosic_emulator_created")
        object["items"] = ["href": apiURL.appendingPathComponent("playlists/\(playlist.id)/items").absoluteString,
                           "total": playlist.entries.count]
        return object
    }

    private func full(_ playlist: Playlist, request: LoopbackRequest) -> [String: Any] {
        var object = summary(playlist)
        let first = Array(playlist.entries.prefix(100))
        object["items"] = ["href": apiURL.appendingPathComponent("playlists/\(playlist.id)/items").absoluteString,
                           "items": first, "limit": 100, "offset": 0, "total": playlist.entries.count,
                           "next": playlist.entries.count > 100 ? apiURL.appendingPathComponent("playlists/\(playlist.id)/items").absoluteString + "?offset=100&limit=100" : NSNull(),
                           "previous": NSNull()]
        object["followers"] = ["href": NSNull(), "total": 0]
        return object
    }

    private func entry(_ track: [String: Any]) -> [String: Any] {
        ["added_at": ISO8601DateFormatter().string(from: Date()),
         "added_by": ["id": userID, "type": "user", "uri": "spotify:user:\(userID)",
                      "href": apiURL.appendingPathComponent("users/\(userID)").absoluteString, "external_urls": [:] as [String: Any]],
         "is_local": false, "item": track]
    }

    // MARK: - Helpers

    /// A fault rule's path against a request's: a trailing "*" matches any rest, a "*" segment one segment.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        if pattern.hasSuffix("*"), !pattern.dropLast().contains("*") { return path.hasPrefix(String(pattern.dropLast())) }
        let want = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let have = path.split(separator: "/", omittingEmptySubsequences: false)
        return want.count == have.count && zip(want, have).allSatisfy { $0 == "*" || $0 == $1 }
    }

    static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> HTTPResponse {
        var headers = headers
        headers["content-type"] = "application/json; charset=utf-8"
        return HTTPResponse(status: status, headers: headers, body: try! JSONSerialization.data(withJSONObject: object))
    }

    static func error(_ status: Int, _ message: String, headers: [String: String] = [:]) -> HTTPResponse {
        json(status, ["error": ["status": status, "message": message]], headers: headers)
    }

    static func oauthError(_ status: Int, _ code: String) -> HTTPResponse {
        json(status, ["error": code, "error_description": code.replacingOccurrences(of: "_", with: " ")])
    }

    static func randomID(_ count: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
