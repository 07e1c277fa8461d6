import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
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

    /// Runs `tool` (xz, gzip) with `arguments`, its stdout into `output`.
    func run(_ tool: String, _ arguments: [String], to output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    func readAll(_ source: any ByteSource, by count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while case let chunk = try source.read(upToCount: count), !chunk.isEmpty {
            #expect(chunk.count <= count)
            bytes += chunk
        }
        #expect(try source.read(upToCount: count).isEmpty)
        return bytes
    }

    /// The streams give back the file's bytes whatever the size of the reads, gzip members one after another.
    @Test func compressedFilesStreamTheirBytes() throws {
        let directory = try TemporaryDirectory()
        let text = (0..<5000).map { "line \($0),\"quoted, \($0 * 7)\"" }.joined(separator: "\n") + "\n"
        let plain = try directory.write("a.csv", text)
        let second = try directory.write("b.csv", "and a second member\n")
        let xz = directory.url.appendingPathComponent("a.csv.xz"), gz = directory.url.appendingPathComponent("a.csv.gz")
        try run("xz", ["-c", plain.path], to: xz)
        try run("gzip", ["-c", plain.path], to: gz)
        #expect(CompressedFile.kind(of: xz) == .xz && CompressedFile.kind(of: gz) == .gzip && CompressedFile.kind(of: plain) == .plain)
        for count in [1, 7, 4096, 1 << 22] {
            #expect(try readAll(CompressedFile.open(xz), by: count) == Array(text.utf8))
            #expect(try readAll(CompressedFile.open(gz), by: count) == Array(text.utf8))
        }
        // `cat a.gz b.gz` is a valid gzip file: both members.
        let both = directory.url.appendingPathComponent("both.csv.gz"), secondGz = directory.url.appendingPathComponent("b.csv.gz")
        try run("gzip", ["-c", second.path], to: secondGz)
        try (Data(contentsOf: gz) + Data(contentsOf: secondGz)).write(to: both)
        #expect(try readAll(CompressedFile.open(both), by: 1000) == Array((text + "and a second member\n").utf8))
        // Truncated: an error, not a short file.
        let truncated = directory.url.appendingPathComponent("cut.csv.gz")
        try Data(contentsOf: gz).prefix(200).write(to: truncated)
        #expect(throws: MoosicError.self) { try readAll(CompressedFile.open(truncated), by: 1 << 20) }
        let truncatedXZ = directory.url.appendingPathComponent("cut.csv.xz")
        try Data(contentsOf: xz).prefix(200).write(to: truncatedXZ)
        #expect(throws: MoosicError.self) { try readAll(CompressedFile.open(truncatedXZ), by: 1 << 20) }
    }

    /// `catalog import` of the shipped file imports it as the first run does (its invalid row left out);
    /// any other file, even a copy, keeps the rule: invalid rows refuse it unless --skip-invalid.
    @Test func theShippedCatalogIsKnownByItsPathOrItsBytes() throws {
        let models = repositoryRoot.appendingPathComponent("Models", isDirectory: true)
        let environment = MoosicEnvironment(home: FileManager.default.temporaryDirectory, modelsDirectory: models)
        #expect(ShippedCatalog.isShipped(models.appendingPathComponent(ShippedCatalog.fileName), environment: environment))
        #expect(ShippedCatalog.isShipped(repositoryRoot.appendingPathComponent("Models/../Models/spotify-tracks.csv.xz"), environment: environment))
        let directory = try TemporaryDirectory()
        let copy = directory.url.appendingPathComponent(ShippedCatalog.fileName)
        try FileManager.default.copyItem(at: models.appendingPathComponent(ShippedCatalog.fileName), to: copy)
        #expect(ShippedCatalog.isShipped(copy, environment: environment))
        // The same size, one byte different: another file.
        var bytes = try Data(contentsOf: copy)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: copy)
        #expect(!ShippedCatalog.isShipped(copy, environment: environment))
    }
}
