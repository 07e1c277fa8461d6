import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicApp

@Suite struct ShippedCatalogTests {
    /// Models/spotify-tracks.csv.xz is the Spotify Tracks dataset byte for byte (README "Data sources").
    @Test func theShippedCatalogDecompressesToTheDatasetByteForByte() throws {
        let bytes = try ShippedCatalog.decompress(repositoryRoot.appendingPathComponent("Models/\(ShippedCatalog.fileName)"))
        // Size, first and last line (a hash of 17 MB byte by byte takes a debug build most of a minute).
        #expect(bytes.count == 17_587_138)
        #expect(String(decoding: bytes.prefix(20), as: UTF8.self) == "track_id,artists,alb")
        #expect(String(decoding: bytes.suffix(200), as: UTF8.self).hasSuffix(",Friends,41,283893,False,0.587,0.506,7,-10.889,1,0.0297,0.381,0.0,0.27,0.413,135.96,4,world-music\r\n"))
    }

    @Test func aDamagedOrMissingFileIsABrokenInstallation() throws {
        let directory = try TemporaryDirectory()
        let damaged = try directory.write("bad.xz", "\u{FD}7zXZ\0 not really xz")
        #expect {
            try ShippedCatalog.decompress(damaged)
        } throws: { error in
            guard case .configuration(let message) = error as? MoosicError else { return false }
            return message.contains("is damaged")
        }
        #expect {
            try ShippedCatalog.decompress(directory.url.appendingPathComponent("none.xz"))
        } throws: { error in
            guard case .configuration(let message) = error as? MoosicError else { return false }
            return message.contains("is missing")
        }
    }
}
