import Foundation
import MoosicCore

/// One progress line for long work (catalog import, library sync, training), redrawn in place on
/// stderr — only when stderr is a terminal and the output is not JSON, so cron logs, pipes and
/// `--json` readers never get control characters. Safe to update from any thread.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var last = ""
    private var drawn = false

    /// A reporter for `label`, or nil when nothing may be shown: `json`, or `isTerminal` false
    /// (by default: whether stderr is a terminal).
    public init?(label: String, json: Bool = false, isTerminal: Bool = isatty(STDERR_FILENO) != 0,
                 write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        guard !json, isTerminal else { return nil }
        self.label = label
        self.write = write
    }

    /// A fraction done, shown as a whole percentage (redrawn only when it changes).
    public func update(_ fraction: Double) {
        show("\(Int((min(max(fraction, 0), 1) * 100).rounded(.down)))%")
    }

    /// A count done, of `total` when known ("3 of 12 playlists", "120 trees").
    public func update(done: Int, of total: Int?, _ unit: String) {
        show(total.map { "\(done) of \($0) \(unit)" } ?? "\(done) \(unit)")
    }

    /// Free text after the label.
    public func show(_ status: String) {
        lock.lock()
        defer { lock.unlock() }
        guard status != last else { return }
        last = status
        drawn = true
        write("\r\u{1B}[K\(label) … \(status)")
    }

    /// Clears the line (call when the work ends, well or not).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard drawn else { return }
        drawn = false
        write("\r\u{1B}[K")
    }
}

extension ProgressReporter {
    /// Runs `body` and clears the line when it returns or throws — before the caller prints its result,
    /// so that the answer never lands after a half-drawn progress line.
    public static func finishing<T>(_ progress: ProgressReporter?, _ body: () throws -> T) rethrows -> T {
        defer { progress?.finish() }
        return try body()
    }

    public static func finishing<T>(_ progress: ProgressReporter?, _ body: () async throws -> T) async rethrows -> T {
        defer { progress?.finish() }
        return try await body()
    }
}
