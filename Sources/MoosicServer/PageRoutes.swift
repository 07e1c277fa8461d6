import Foundation
import Hummingbird
import MoosicApp
import MoosicCore
import MoosicVision
import NIOCore

/// The page's routes: the page itself (HTML, script, style, all served here) and its JSON API.
enum PageRoutes {
    static let sessionCookie = "moosic_session"
    /// A request body may hold one photo at `moosic mood`'s byte limit in base64, or several camera
    /// frames of that size together, plus the JSON around them.
    static let maxBodyBytes = FaceMoodReader.maxPhotoBytes / 3 * 4 + 64 * 1024

    static func add(to router: Router<BasicRequestContext>, state: ServerState) {
        router.get("/") { _, _ -> Response in
            let session = await state.newSession()
            var response = html(PageAssets.html(csrfToken: session.csrf))
            response.headers[.setCookie] = "\(sessionCookie)=\(session.id); Path=/; HttpOnly; SameSite=Strict"
            return response
        }
        router.get("/page.js") { _, _ in asset(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/page.css") { _, _ in asset(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }

        router.get("/api/status") { _, _ in
            try await answer { try await state.backend.status() }
        }
        router.get("/api/history") { _, _ in
            try await answer { try await state.backend.history() }
        }
        router.get("/api/cover") { _, _ -> Response in
            do {
                guard let url = try await state.backend.latestCover() else { return error(.notFound, "no cover yet") }
                let data = try Data(contentsOf: url)
                return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                return failure(error)
            }
        }
        router.post("/api/mood") { request, context -> Response in
            struct Frames: Decodable { var frames: [String] }
            guard let body = try await body(request) else { return tooLarge() }
            guard let frames = try? JSONDecoder().decode(Frames.self, from: body) else {
                return error(.badRequest, "expected {\"frames\": [base64 images]}")
            }
            let decoded = frames.frames.map { Data(base64Encoded: Self.stripDataURL($0)) }
            guard decoded.allSatisfy({ $0 != nil }) else { return error(.badRequest, "a frame is not base64") }
            let sessionID = request.cookies[sessionCookie]?.value ?? ""
            do {
                let reading = try await state.backend.readMood(frames: decoded.map { $0! })
                await state.setReading(reading, for: sessionID)
                return try json(MoodAnswer(reading))
            } catch {
                await state.setReading(nil, for: sessionID)
                return failure(error)
            }
        }
        router.post("/api/playlist") { request, context -> Response in
            struct Ask: Decodable { var size: Int; var strategy: String; var write: Bool }
            guard let body = try await body(request) else { return tooLarge() }
            guard let ask = try? JSONDecoder().decode(Ask.self, from: body), (1...100).contains(ask.size),
                  let strategy = RankingStrategy(rawValue: ask.strategy) else {
                return error(.badRequest, "expected {\"size\": 1-100, \"strategy\": \"match\"|\"lift\", \"write\": true|false}")
            }
            guard let reading = await state.session(request.cookies[sessionCookie]?.value)?.reading else {
                return error(.conflict, "read a mood first (camera or photo)")
            }
            let options = RankingOptions(size: ask.size, strategy: strategy, seed: UInt64(Date().timeIntervalSince1970 / 86400))
            return try await answer {
                RecommendationJSON(try await state.backend.playlist(mood: reading, options: options, write: ask.write),
                                   strategy: strategy)
            }
        }
        router.post("/api/login") { _, _ in
            struct Started: Encodable { var authorizeURL: String }
            return try await answer { Started(authorizeURL: try await state.backend.startLogin().absoluteString) }
        }
    }

    /// The body, or nil when it is over the limit (refused from Content-Length before reading it).
    static func body(_ request: Request) async throws -> Data? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes { return nil }
        do {
            return Data(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }

    static func stripDataURL(_ text: String) -> String {
        guard text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") else { return text }
        return String(text[text.index(after: comma)...])
    }

    struct MoodAnswer: Encodable {
        var score: Double
        var label: MoodLabel
        var band: MoodBand
        var unsure: Bool
        var face: FaceBox?
        var frame: Int
        var framesWithFace: Int
        var frames: Int
        var spread: Double

        init(_ m: FrameMood) {
            score = (m.score * 1000).rounded() / 1000
            label = MoodLabel(score: m.score)
            band = MoodBand(score: m.score)
            unsure = m.unsure
            face = m.face
            frame = m.frame
            framesWithFace = m.framesWithFace
            frames = m.frames
            spread = (m.spread * 1000).rounded() / 1000
        }
    }

    static func answer<T: Encodable>(_ body: () async throws -> T) async throws -> Response {
        do {
            return try json(try await body())
        } catch {
            return failure(error)
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try MoosicJSON.encode(value))))
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        struct Failure: Encodable { var error: String }
        return (try? json(Failure(error: message), status: status)) ?? Response(status: status)
    }

    static func tooLarge() -> Response {
        error(.contentTooLarge, "the upload is over the limit of \(FaceMoodReader.maxPhotoBytes) bytes of photo")
    }

    /// An error as an HTTP answer: the photo's fault 422 (too large 413, by the error's cause), a usage
    /// error 400, no login 401, Spotify busy 503, the rest 500; the message is the command line's.
    static func failure(_ error: any Error) -> Response {
        let report = ErrorReport(error)
        let status: HTTPResponse.Status
        switch report.exitCode {
        case 64: status = .badRequest
        case 65:
            if case .invalidData(_, cause: .photoTooLarge)? = error as? MoosicError {
                status = .contentTooLarge
            } else {
                status = .unprocessableContent
            }
        case 66: status = .notFound
        case 75: status = .serviceUnavailable
        case 77: status = .unauthorized
        default: status = .internalServerError
        }
        return Self.error(status, report.message)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !y.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
