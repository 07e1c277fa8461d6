import Foundation
import MoosicCore
import MoosicSpotify
import MoosicVision

/// The cover stage of the standard pipeline: CoverArt drawn from the mood, the genre mix and the
/// date, encoded as JPEG by CVision, kept in MOOSIC_HOME/covers/ and, online, sent to Spotify.
public struct PlaylistCovers: PlaylistCovering {
    public let home: URL
    /// nil offline: the cover is only written to MOOSIC_HOME.
    public let uploader: PlaylistCoverUploader?

    public init(home: URL, uploader: PlaylistCoverUploader?) {
        self.home = home
        self.uploader = uploader
    }

    public var directory: URL { home.appendingPathComponent("covers", isDirectory: true) }

    public func cover(user: String, playlist: PublishedPlaylist, mood: Double, genres: [GenreShare], date: Date) async -> CoverOutcome {
        let pixels = CoverArt.render(mood: mood, genres: genres, date: date)
        let safeUser = user.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
        let stamp = date.formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false)
            .timeSeparator(.omitted).timeZone(separator: .omitted))
        let url = directory.appendingPathComponent("\(safeUser)-\(stamp).jpg")
        let jpeg: Data
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try CoverJPEG.write(pixels, to: url)
            jpeg = try Data(contentsOf: url)
        } catch let error as MoosicError {
            return CoverOutcome(path: nil, uploaded: false, note: "the playlist has no cover: \(error.message)")
        } catch {
            return CoverOutcome(path: nil, uploaded: false, note: "the playlist has no cover: \(error.localizedDescription)")
        }
        guard let uploader else { return CoverOutcome(path: url.path, uploaded: false, note: nil) }
        let note = await uploader.upload(jpeg: jpeg, playlistID: playlist.id)
        return CoverOutcome(path: url.path, uploaded: note == nil, note: note)
    }
}
