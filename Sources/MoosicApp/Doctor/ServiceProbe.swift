import Foundation
import MoosicCore
import MoosicIO

/// Whether a service answers at all: `moosic doctor`'s network checks.
public enum ServiceProbe {
    /// Whether anything answers HTTP at `url` (any status counts: the point is the network path),
    /// through moosic's own transport with short timeouts; nil when it did, else why not.
    public static func reachability(of url: URL, transport: HTTPTransport = URLSessionTransport(requestTimeout: 10, resourceTimeout: 15)) async -> String? {
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: url))
            return nil
        } catch {
            return ErrorReport(error).message
        }
    }
}
