import Crypto
import Foundation
import MoosicCore

/// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the OAuth `state`: both fresh
/// random values for every login.
public struct PKCE: Sendable {
    public let verifier: String
    public let challenge: String
    public let state: String

    public init() {
        // 64 random bytes → 86 base64url characters, inside RFC 7636's 43…128.
        self.init(verifier: PKCE.randomToken(bytes: 64), state: PKCE.randomToken(bytes: 24))
    }

    public init(verifier: String, state: String) {
        self.verifier = verifier
        self.challenge = PKCE.challenge(for: verifier)
        self.state = state
    }

    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    public static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
