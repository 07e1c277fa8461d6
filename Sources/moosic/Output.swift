import Foundation
import MoosicApp
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

enum Output {
    /// Prints `value` as one line of JSON, keys sorted and snake_case (`facesFound` → `faces_found`),
    /// the one key convention of the contract's JSON.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let data = try MoosicJSON.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}

/// A progress line on stderr, redrawn in place; only when stderr is a terminal,
/// so cron logs and pipes get no control characters.
final class TerminalProgress {
    private let label: String
    private var lastPercent = -1

    init?(label: String) {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        self.label = label
    }

    func update(_ fraction: Double) {
        let percent = Int(fraction * 100)
        guard percent != lastPercent else { return }
        lastPercent = percent
        FileHandle.standardError.write(Data("\r\(label) … \(percent)%".utf8))
    }

    func finish() {
        guard lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
