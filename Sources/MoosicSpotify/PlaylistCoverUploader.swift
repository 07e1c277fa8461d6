import Foundation
import MoosicCore

/// Sends a playlist's cover: `PUT /playlists/{id}/images` with the JPEG in base64 (Spotify takes
/// at most 256 KB of it), which needs the `ugc-image-upload` scope. The playlist is already
/// written when this runs, so nothing here fails the run: every problem is a note.
public struct PlaylistCoverUploader: Sendable {
    public static let scope = "ugc-image-upload"
    /// Spotify's limit on the base64 body.
    public static let maxBodyBytes = 256 * 1024
    public static let missingScopeNote = "the playlist has no cover: this Spotify login predates covers; log in again to allow covers (`moosic auth login`)"

    public let session: SpotifySession

    public init(session: SpotifySession) {
        self.session = session
    }

    /// nil when the cover was sent, else the note saying why not.
    public func upload(jpeg: Data, playlistID: String) async -> String? {
        guard session.grantedScopes.contains(Self.scope) else { return Self.missingScopeNote }
        let body = Data(jpeg.base64EncodedString().utf8)
        guard body.count <= Self.maxBodyBytes else {
            return "the playlist has no cover: the image is \(body.count) bytes in base64, over Spotify's \(Self.maxBodyBytes)"
        }
        do {
            let response = try await session.client.send("PUT", "playlists/\(playlistID)/images", body: body,
                                                         contentType: "image/jpeg")
            guard (200..<300).contains(response.status) else {
                let message = SpotifyClient.errorMessage(response.body)
                if response.status == 403, message.lowercased().contains("scope") { return Self.missingScopeNote }
                return "the playlist has no cover: Spotify answered \(response.status) to PUT /playlists/{id}/images"
                    + (message.isEmpty ? "" : " (\(message))")
            }
            return nil
        } catch let error as MoosicError {
            return "the playlist has no cover: \(error.message)"
        } catch {
            return "the playlist has no cover: \(error)"
        }
    }
}
