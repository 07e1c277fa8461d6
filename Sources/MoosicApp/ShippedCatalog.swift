import CLzma
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore
import MoosicIO
import MoosicStore

/// The full Spotify Tracks dataset (102,582 rows, docs/data-sources.md), shipped xz-compressed as
/// Models/spotify-tracks.csv.xz and imported into an empty store on first use, so that a fresh
/// install needs nothing else to fetch. `--offline` keeps Fixtures/catalog.csv for the demo.
public enum ShippedCatalog {
    public static let fileName = "spotify-tracks.csv.xz"

    /// The shipped catalog as a stream of CSV bytes (`CompressedFile`); a missing or damaged file is
    /// `configuration` (exit 78: the installation is broken, not the user's input).
    public static func source(_ url: URL) throws -> any ByteSource {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw MoosicError.configuration("the shipped catalog \(url.path) is missing or unreadable")
        }
        return try CompressedFile.open(url) { message in
            .configuration("the shipped catalog \(message); reinstall moosic")
        }
    }

    /// Whether `url` is the shipped catalog of this installation: the same file (links resolved), or a
    /// byte-identical copy of it — an installed moosic importing the checkout's `Models/spotify-tracks.csv.xz`
    /// imports the very same rows.
    public static func isShipped(_ url: URL, environment: MoosicEnvironment) -> Bool {
        guard let shipped = try? environment.modelURL(fileName) else { return false }
        let given = url.resolvingSymlinksInPath().standardizedFileURL.path
        let own = shipped.resolvingSymlinksInPath().standardizedFileURL.path
        if given == own { return true }
        let fm = FileManager.default
        guard let size = (try? fm.attributesOfItem(atPath: given))?[.size] as? Int,
              size == (try? fm.attributesOfItem(atPath: own))?[.size] as? Int,
              let bytes = fm.contents(atPath: given), let ownBytes = fm.contents(atPath: own) else { return false }
        return bytes == ownBytes
    }

    /// Decompresses the whole file (for checks; imports stream it instead).
    public static func decompress(_ url: URL) throws -> [UInt8] {
        let source = try source(url)
        var bytes: [UInt8] = []
        while case let chunk = try source.read(upToCount: 4 << 20), !chunk.isEmpty { bytes += chunk }
        return bytes
    }

    /// Imports the shipped catalog into `store` when it has none, through the same streaming path as
    /// `catalog import` (decompressed, validated and written a chunk at a time); a progress line
    /// (`ProgressReporter`) on stderr only when stderr is a terminal. Rows the dataset has without
    /// artist or title (one) are left out, as `catalog import --skip-invalid` would.
    @discardableResult
    public static func importIfEmpty(store: Store, environment: MoosicEnvironment,
                                     emotionModel: SongEmotionModel? = nil) throws -> CatalogImportReport? {
        guard try !store.hasCatalog() else { return nil }
        let url = try environment.modelURL(fileName)
        let progress = ProgressReporter(label: "moosic: importing the catalog (first run)")
        defer { progress?.finish() }
        return try CatalogImporter.importRecords(from: source(url), name: fileName, into: store, skipInvalid: true,
                                                 emotionModel: emotionModel, progress: progress?.update)
    }
}
