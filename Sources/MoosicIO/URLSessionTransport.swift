import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MoosicCore

/// The network transport: URLSession (libcurl on Linux) with request and resource timeouts.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(requestTimeout: TimeInterval = 30, resourceTimeout: TimeInterval = 120) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = resourceTimeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw MoosicError.temporary("no HTTP answer from \(request.url.host ?? "?")")
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as MoosicError {
            throw error
        } catch {
            // The URL's query may hold an authorisation code: name only the host and path.
            throw MoosicError.temporary("cannot reach \(request.url.host ?? "?")\(request.url.path): \(error.localizedDescription)")
        }
    }
}
