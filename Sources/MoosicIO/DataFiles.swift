import Foundation
import MoosicCore

// Core's readers of CSV data take a `ByteSource`; these read them from files (missing: `fileMissing`,
// a directory or unreadable: `invalidData`), named by the file's last path component in messages.

extension CatalogCSV {
    public static func read(url: URL, progress: ((Double) -> Void)? = nil) throws -> Contents {
        try read(source: FileByteSource(url: url), name: url.lastPathComponent, progress: progress)
    }
}

extension MoodSongsCSV {
    public static func read(url: URL) throws -> Contents {
        try read(source: FileByteSource(url: url), name: url.lastPathComponent)
    }
}

extension GenreTraining {
    public static func load(url: URL, genres: [String]? = nil) throws -> (data: GenreData, invalidRows: Int) {
        try load(contents: CatalogCSV.read(url: url), name: url.lastPathComponent, genres: genres)
    }
}
