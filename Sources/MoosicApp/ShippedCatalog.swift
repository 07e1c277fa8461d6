import CLzma
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore
import MoosicStore

/// The full Spotify Tracks dataset (102,582 rows, README "Data sources"), shipped xz-compressed as
/// Models/spotify-tracks.csv.xz and imported into an empty store on first use, so that a fresh
/// install needs nothing else to fetch. `--offline` keeps Fixtures/catalog.csv for the demo.
public enum ShippedCatalog {
    public static let fileName = "spotify-tracks.csv.xz"

    /// Decompresses an .xz file with liblzma; a damaged file is `configuration` (the installation is broken).
    public static func decompress(_ url: URL) throws -> [UInt8] {
        guard let compressed = FileManager.default.contents(atPath: url.path) else {
            throw MoosicError.configuration("the shipped catalog \(url.path) is missing or unreadable")
        }
        var stream = lzma_stream()
        guard lzma_stream_decoder(&stream, UInt64.max, 0) == LZMA_OK else {
            throw MoosicError.internalFailure("liblzma could not start a decoder")
        }
        defer { lzma_end(&stream) }
        // liblzma writes straight into the array, grown by doubling (element-wise copies would take a
        // debug build minutes for the 17 MB catalog).
        var output = [UInt8](repeating: 0, count: max(1 << 20, compressed.count * 4))
        var produced = 0
        let status: lzma_ret = compressed.withUnsafeBytes { input in
            stream.next_in = input.bindMemory(to: UInt8.self).baseAddress
            stream.avail_in = input.count
            while true {
                if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
                let ret = output.withUnsafeMutableBufferPointer { out -> lzma_ret in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = out.count - produced
                    let ret = lzma_code(&stream, LZMA_FINISH)
                    produced = out.count - stream.avail_out
                    return ret
                }
                if ret != LZMA_OK { return ret }
            }
        }
        output.removeLast(output.count - produced)
        guard status == LZMA_STREAM_END else {
            throw MoosicError.configuration("the shipped catalog \(url.path) is damaged (liblzma error \(status.rawValue)); reinstall moosic")
        }
        return output
    }

    /// Imports the shipped catalog into `store` when it has none; a progress line (`ProgressReporter`)
    /// on stderr only when stderr is a terminal. Rows the dataset has without artist or title (one) are left out,
    /// as `catalog import --skip-invalid` would.
    @discardableResult
    public static func importIfEmpty(store: Store, environment: MoosicEnvironment,
                                     emotionModel: SongEmotionModel? = nil) throws -> CatalogImportReport? {
        guard try !store.hasCatalog() else { return nil }
        let url = try environment.modelURL(fileName)
        let progress = ProgressReporter(label: "moosic: importing the catalog (first run)")
        defer { progress?.finish() }
        progress?.show("decompressing")
        let bytes = try decompress(url)
        // Reading is the first half of the work, writing the second.
        let contents = try CatalogCSV.parse(bytes: bytes, name: fileName) { progress?.update($0 / 2) }
        var report = try CatalogImporter.write(rows: contents.rows, into: store, emotionModel: emotionModel) {
            progress?.update(0.5 + $0 / 2)
        }
        report.invalidRows = contents.invalidRows
        return report
    }
}
