import Foundation
import Hummingbird
import MoosicApp
import MoosicCore
import NIOCore

/// `moosic serve`: the page and its JSON API over HTTP, on 127.0.0.1 only.
///
/// Security, as for any local server a browser talks to:
/// - bound to the loopback address, never to every interface;
/// - the Host header must be 127.0.0.1:PORT or localhost:PORT, so a page of another site whose
///   name was rebound to 127.0.0.1 (DNS rebinding) is answered 421 and reads nothing;
/// - every API call needs the session cookie (HttpOnly, SameSite=Strict) set by the page, and every
///   write (POST) the session's CSRF token in `X-CSRF-Token`, else 403;
/// - uploads are limited to the photo limits of `moosic mood` (bytes before reading them, pixels
///   from the image header);
/// - a strict Content-Security-Policy: the page's own script, style and images only, no third party;
/// - no Spotify token is ever in a page, an answer, a URL or a log line (the backend never hands one out).
public enum PageServer {
    /// Serves until SIGINT or SIGTERM. `listening` gets the bound port (useful with port 0).
    public static func run(backend: PageBackend, port: Int, listening: @escaping @Sendable (Int) -> Void) async throws {
        let state = ServerState(backend: backend)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: GuardMiddleware(state: state))
        PageRoutes.add(to: router, state: state)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                await state.setPort(bound)
                listening(bound)
            }
        )
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw MoosicError.temporary("port \(port) on 127.0.0.1 is in use (another moosic serve?): stop it or choose another with --port")
        }
    }
}

/// What the server keeps between requests: the bound port and the page sessions.
actor ServerState {
    let backend: PageBackend
    private(set) var port = 0
    private var sessions: [String: PageSession] = [:]

    init(backend: PageBackend) {
        self.backend = backend
    }

    func setPort(_ port: Int) { self.port = port }

    func newSession() -> PageSession {
        let session = PageSession(id: Self.randomToken(), csrf: Self.randomToken())
        // A handful of tabs at most; the oldest go first.
        if sessions.count >= 64, let oldest = sessions.values.min(by: { $0.created < $1.created }) {
            sessions[oldest.id] = nil
        }
        sessions[session.id] = session
        return session
    }

    func session(_ id: String?) -> PageSession? {
        id.flatMap { sessions[$0] }
    }

    func setReading(_ reading: FrameMood?, for id: String) {
        sessions[id]?.reading = reading
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}

struct PageSession: Sendable {
    var id: String
    var csrf: String
    var created = Date()
    /// The latest mood the page read (camera frames or a photo): what a playlist is made for.
    var reading: FrameMood?
}

/// A header's name (HTTPTypes' `HTTPField.Name`, which Hummingbird does not re-export by that name).
typealias FieldName = HTTPFields.Element.Name

/// The Host check (DNS rebinding), then the session and CSRF checks for the API, on every request.
struct GuardMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let port = await state.port
        let host = request.head.authority ?? ""
        guard host == "127.0.0.1:\(port)" || host == "localhost:\(port)" else {
            return PageRoutes.error(.misdirectedRequest, "this server answers only to 127.0.0.1:\(port) and localhost:\(port)")
        }
        var response: Response
        if request.uri.path.hasPrefix("/api/") {
            let session = await state.session(request.cookies[PageRoutes.sessionCookie]?.value)
            guard let session else {
                return PageRoutes.error(.forbidden, "no page session: reload the page")
            }
            if request.method != .get && request.method != .head {
                let sent = request.headers[FieldName("X-CSRF-Token")!] ?? ""
                guard PageRoutes.constantTimeEqual(sent, session.csrf) else {
                    return PageRoutes.error(.forbidden, "missing or wrong CSRF token: reload the page")
                }
            }
            response = try await next(request, context)
        } else {
            response = try await next(request, context)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[FieldName("X-Content-Type-Options")!] = "nosniff"
        response.headers[FieldName("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
