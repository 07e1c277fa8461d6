import Foundation
import MoosicCore

/// Where Spotify is and how patient moosic is with it: the contract's MOOSIC_SPOTIFY_API_URL,
/// MOOSIC_SPOTIFY_ACCOUNTS_URL and MOOSIC_CLIENT_ID, plus the retry policy.
public struct SpotifyConfiguration: Sendable {
    public var apiURL: URL
    public var accountsURL: URL
    public var clientID: String?
    /// The longest total time one run waits for 429 answers' Retry-After before giving up (exit 75).
    public var waitBudget: TimeInterval
    /// Tries per request when Spotify answers 5xx or the connection fails.
    public var maxTries: Int
    /// The first backoff delay; each further try doubles it, plus up to as much again of jitter.
    public var backoffBase: TimeInterval

    public static let scopes = [
        "user-read-private", "playlist-read-private", "playlist-read-collaborative",
        "playlist-modify-private", "playlist-modify-public", "user-library-read",
        // The playlist's generated cover (PUT /playlists/{id}/images); a login made before moosic
        // asked for it still works, without covers.
        "ugc-image-upload",
    ]

    public init(apiURL: URL = URL(string: "https://api.spotify.com/v1")!,
                accountsURL: URL = URL(string: "https://accounts.spotify.com")!,
                clientID: String? = nil, waitBudget: TimeInterval = 120, maxTries: Int = 4,
                backoffBase: TimeInterval = 0.5) {
        self.apiURL = apiURL
        self.accountsURL = accountsURL
        self.clientID = clientID
        self.waitBudget = waitBudget
        self.maxTries = maxTries
        self.backoffBase = backoffBase
    }

    public static func resolve(_ variables: [String: String]) throws -> SpotifyConfiguration {
        var configuration = SpotifyConfiguration()
        if let api = variables["MOOSIC_SPOTIFY_API_URL"], !api.isEmpty {
            configuration.apiURL = try url(api, variable: "MOOSIC_SPOTIFY_API_URL")
        }
        if let accounts = variables["MOOSIC_SPOTIFY_ACCOUNTS_URL"], !accounts.isEmpty {
            configuration.accountsURL = try url(accounts, variable: "MOOSIC_SPOTIFY_ACCOUNTS_URL")
        }
        if let id = variables["MOOSIC_CLIENT_ID"]?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            configuration.clientID = id
        }
        return configuration
    }

    private static func url(_ text: String, variable: String) throws -> URL {
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
              let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw MoosicError.configuration("\(variable) is not an http(s) URL: \(text)")
        }
        return url
    }

    /// Spotify's patience as the shared RetryingTransport applies it.
    public var retryPolicy: RetryPolicy {
        RetryPolicy(service: "Spotify", waitBudget: waitBudget, maxTries: maxTries, backoffBase: backoffBase)
    }

    /// The exit-78 message when no client id is configured.
    public static func missingClientIDMessage(redirectURI: String) -> String {
        "no Spotify client id: create an app at https://developer.spotify.com/dashboard (Web API), "
            + "add the redirect URI \(redirectURI) in its settings (http://127.0.0.1/callback, without a port, allows any "
            + "port, e.g. --port 0), then set MOOSIC_CLIENT_ID to the app's client id"
    }
}
