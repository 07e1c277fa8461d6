import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import MoosicCore
@testable import MoosicApp
@testable import MoosicServer

/// The page server in this process (offline, on the fixtures), spoken to over a raw socket so that
/// the Host header and the body length can be anything.
@Suite struct PageServerTests {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One HTTP/1.1 request on a new connection; `sendBody` false sends only the head (and 1 KiB),
    /// announcing `body.count` bytes.
    static func send(port: Int, _ method: String, _ path: String, host: String? = nil, headers: [String: String] = [:],
                     body: Data = Data(), sendBody: Bool = true) throws -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        var bytes = Data((head + "\r\n").utf8)
        bytes.append(sendBody ? body : body.prefix(1024))
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            if !sendBody, received.range(of: Data("\r\n\r\n".utf8)) != nil { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test func hostSessionCSRFAndUploadLimitsGuardEveryWrite() async throws {
        let dir = try TemporaryDirectory()
        let installation = Installation(environment: ["MOOSIC_HOME": dir.url.appendingPathComponent("home").path,
                                                      "MOOSIC_DATA": repositoryRoot.path],
                                        fileValues: [:], settingsFile: dir.url.appendingPathComponent("config.toml"))
        let backend = try PageBackend(installation: installation, user: nil, offline: true)
        let (ports, bound) = AsyncStream<Int>.makeStream()
        let server = Task { try await PageServer.run(backend: backend, port: 0) { bound.yield($0) } }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        // The page: a session cookie, the CSRF token inside, a strict CSP.
        let page = try Self.send(port: port, "GET", "/")
        #expect(page.status == 200)
        let cookie = try #require(page.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(page.headers["set-cookie"]?.contains("HttpOnly; SameSite=Strict") == true)
        #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        let csrf = try #require(page.body.firstMatch(of: /name="csrf-token" content="([0-9a-f]{64})"/)?.1).description
        #expect(try Self.send(port: port, "GET", "/", host: "localhost:\(port)").status == 200)

        // DNS rebinding: any other Host is refused, the API included.
        for host in ["evil.example:\(port)", "127.0.0.1:\(port + 1)", "127.0.0.1", "localhost.evil.example:\(port)"] {
            #expect(try Self.send(port: port, "GET", "/", host: host).status == 421, "\(host)")
            #expect(try Self.send(port: port, "GET", "/api/status", host: host, headers: ["Cookie": cookie]).status == 421)
        }

        // The API needs the session; its answers carry no token.
        #expect(try Self.send(port: port, "GET", "/api/status").status == 403)
        let status = try Self.send(port: port, "GET", "/api/status", headers: ["Cookie": cookie])
        #expect(status.status == 200 && status.body.contains("\"user\":\"moosicdemo\"") && !status.body.lowercased().contains("token"))

        let photo = try Data(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/photos/happy-1.jpg"))
        let frames = Data("{\"frames\":[\"\(photo.base64EncodedString())\"]}".utf8)
        let json = ["Cookie": cookie, "Content-Type": "application/json"]
        #expect(try Self.send(port: port, "POST", "/api/mood", headers: json, body: frames).status == 403)
        #expect(try Self.send(port: port, "POST", "/api/mood", headers: json.merging(["X-CSRF-Token": String(repeating: "0", count: 64)]) { $1 },
                              body: frames).status == 403)
        let withToken = json.merging(["X-CSRF-Token": csrf]) { $1 }
        let mood = try Self.send(port: port, "POST", "/api/mood", headers: withToken, body: frames)
        #expect(mood.status == 200 && mood.body.contains("\"label\":\"happy\""), "\(mood.body)")

        // A write without the token is refused and writes nothing.
        let write = Data(#"{"size":5,"strategy":"match","write":true}"#.utf8)
        #expect(try Self.send(port: port, "POST", "/api/playlist", headers: json, body: write).status == 403)
        #expect(try await backend.history().points.isEmpty)

        // Over the byte limit: refused from the Content-Length, before the body is read.
        let huge = Data(count: PageRoutes.maxBodyBytes + 1)
        let refused = try Self.send(port: port, "POST", "/api/mood", headers: withToken, body: huge, sendBody: false)
        #expect(refused.status == 413)
        // A body that is not the expected JSON is a bad request.
        #expect(try Self.send(port: port, "POST", "/api/mood", headers: withToken, body: Data("[]".utf8)).status == 400)

        // With the session and its token the write goes through, once.
        let written = try Self.send(port: port, "POST", "/api/playlist", headers: withToken, body: write)
        #expect(written.status == 200 && written.body.contains("\"written\":true"), "\(written.body)")
        #expect(try await backend.history().points.map { $0.playlist?.trackCount } == [5])
        let cover = try Self.send(port: port, "GET", "/api/cover", headers: ["Cookie": cookie])
        #expect(cover.status == 200 && cover.headers["content-type"] == "image/jpeg")

        // A photo without a face is the photo's fault, 422 by the error's cause (PageFailureStatusTests has
        // the 413 of a photo over the limit; a 32 MiB frame is slow to send in a debug build). It comes
        // last: a failed reading also forgets the session's mood.
        let noFace = try Data(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/photos/no-face.jpg"))
        let faceless = try Self.send(port: port, "POST", "/api/mood", headers: withToken,
                                     body: Data("{\"frames\":[\"\(noFace.base64EncodedString())\"]}".utf8))
        #expect(faceless.status == 422, "\(faceless.body)")
    }
}

/// The page's HTTP status of an error comes from its case and cause, never from its message.
@Suite struct PageFailureStatusTests {
    @Test func aPhotoOverTheLimitIs413AndOtherBadPhotos422ByCause() {
        #expect(PageRoutes.failure(MoosicError.invalidData("frame 1: image has more pixels than the limit", cause: .photoTooLarge)).status == .contentTooLarge)
        #expect(PageRoutes.failure(MoosicError.invalidData("no face found in the photo", cause: .noFace)).status == .unprocessableContent)
        // A message that reads like the limit's does not make a 413.
        #expect(PageRoutes.failure(MoosicError.invalidData("more than the limit", cause: .unreadablePhoto)).status == .unprocessableContent)
        #expect(PageRoutes.failure(MoosicError.invalidData("bad row")).status == .unprocessableContent)
        #expect(PageRoutes.failure(MoosicError.usage("send between 1 and 8 frames")).status == .badRequest)
    }
}
