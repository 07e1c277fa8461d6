import Foundation
import MoosicIO

/// The user's crontab as `crontab -l` prints it (`list`), and the `moosic refresh` lines in it
/// (`RefreshLine`, in CrontabRefreshLine.swift).
public enum Crontab {
    public enum Listing: Sendable, Equatable {
        case lines([String])
        /// No crontab command, or it failed for another reason than "no crontab for <user>".
        case unavailable(String)
    }

    /// Runs `<command> -l` (`command` is a program name looked up on PATH, or a path; MOOSIC_CRONTAB
    /// overrides `crontab`, for tests).
    public static func list(command: String) -> Listing {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command, "-l"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .unavailable("cannot run \(command): \(error.localizedDescription)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 0 {
            return .lines(String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init))
        }
        // cron's crontab says "no crontab for <user>" and exits 1 when there is none.
        if errors.contains("no crontab for") { return .lines([]) }
        if process.terminationStatus == 127 { return .unavailable("no \(command) command") }
        let first = errors.split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
        return .unavailable("\(command) -l: \(first)")
    }
}
