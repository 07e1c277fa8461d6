import Foundation
import MoosicSpotify

extension Doctor {
    /// The audio-features service of MOOSIC_FEATURES_URL (default `defaultFeaturesURL`; empty: off).
    func features() async -> DoctorCheck {
        let text = variables["MOOSIC_FEATURES_URL"] ?? Self.defaultFeaturesURL
        if text.isEmpty { return DoctorCheck("features service", .skip, "turned off (MOOSIC_FEATURES_URL is empty)") }
        if offline { return DoctorCheck("features service", .skip, "not checked (--offline)") }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return DoctorCheck("features service", .fail, "MOOSIC_FEATURES_URL is not an http(s) URL: \(text)",
                               fix: "unset MOOSIC_FEATURES_URL (default \(Self.defaultFeaturesURL)) or set it empty to turn the service off")
        }
        if let problem = await probe(url) {
            return DoctorCheck("features service", .warn, "\(text) does not answer (\(problem)): songs not in the catalog get no audio features",
                               fix: "check the network, or set MOOSIC_FEATURES_URL empty to turn the service off")
        }
        return DoctorCheck("features service", .ok, "\(text) answers")
    }

    func spotifyAPI() async -> DoctorCheck {
        if offline { return DoctorCheck("Spotify API", .skip, "not checked (--offline)") }
        let configuration: SpotifyConfiguration
        do {
            configuration = try SpotifyConfiguration.resolve(variables)
        } catch {
            return DoctorCheck("Spotify API", .fail, ErrorReport(error).message, fix: "unset MOOSIC_SPOTIFY_API_URL and MOOSIC_SPOTIFY_ACCOUNTS_URL")
        }
        if let problem = await probe(configuration.apiURL) {
            return DoctorCheck("Spotify API", .fail, "\(configuration.apiURL.absoluteString) does not answer (\(problem)): online runs exit 75",
                               fix: "check the network (a proxy?), or run with --offline")
        }
        return DoctorCheck("Spotify API", .ok, "\(configuration.apiURL.absoluteString) answers")
    }
}
