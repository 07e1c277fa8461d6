import Foundation
import MoosicCore

/// The parts of the Web API's 2026 response shapes that moosic reads.
struct SpotifyPage<Item: Decodable>: Decodable {
    var items: [Item]
    var total: Int
    var next: String?
}

struct SpotifyUser: Decodable {
    var id: String
    var display_name: String?
}

struct SpotifyPlaylist: Decodable {
    struct Owner: Decodable { var id: String }
    var id: String
    var name: String
    var owner: Owner
    var collaborative: Bool?
    var snapshot_id: String?
    var description: String?
    var external_urls: [String: String]?
}

struct SpotifyPlayable: Decodable {
    struct Artist: Decodable { var name: String }
    var id: String?
    var name: String?
    var type: String?
    var uri: String?
    var is_local: Bool?
    var artists: [Artist]?
    var external_ids: [String: String]?

    /// A catalog track: not a local file, not an episode.
    var libraryTrack: LibraryTrack? {
        guard type == "track", is_local != true, let id, !id.isEmpty, let name else { return nil }
        return LibraryTrack(id: id, name: name, artists: (artists ?? []).map(\.name).joined(separator: ";"),
                            isrc: external_ids?["isrc"])
    }
}

/// An entry of GET /playlists/{id}/items (`item`) or of GET /me/tracks (`track`).
struct SpotifyEntry: Decodable {
    var added_at: String?
    var is_local: Bool?
    var item: SpotifyPlayable?
    var track: SpotifyPlayable?

    var libraryTrack: LibraryTrack? {
        guard is_local != true else { return nil }
        return (item ?? track)?.libraryTrack
    }
}

struct SpotifySnapshot: Decodable {
    var snapshot_id: String?
}
