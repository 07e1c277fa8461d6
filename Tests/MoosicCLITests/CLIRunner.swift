import Foundation
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// Runs the built `moosic` binary, as a user or cron would.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// MOOSIC_BIN, else `moosic` next to the test bundle (both live in the build's bin folder).
    static let binary: URL = {
        if let explicit = ProcessInfo.processInfo.environment["MOOSIC_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        var folder = Bundle.main.bundleURL
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("moosic")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/moosic")
    }()

    let home: URL
    let executable: URL
    /// The folder `home` is in: removed with the last copy of the runner.
    private let scratch: TemporaryDirectory

    /// The settings file the runner's commands read (MOOSIC_CONFIG), in the scratch folder.
    var settingsFile: URL { home.deletingLastPathComponent().appendingPathComponent("config/config.toml") }

    /// A runner whose MOOSIC_HOME is a folder not yet made in a scratch folder of its own.
    init() throws {
        let scratch = try TemporaryDirectory()
        self.scratch = scratch
        home = scratch.url.appendingPathComponent("home", isDirectory: true)
        executable = Self.binary
    }

    /// `runner`'s home and scratch folder, with another executable.
    init(runner: CLIRunner, executable: URL) {
        scratch = runner.scratch
        home = runner.home
        self.executable = executable
    }

    /// Runs `moosic` to the end and returns what it printed.
    func run(_ arguments: [String], environment extra: [String: String] = [:], in directory: URL = CLIRunner.repositoryRoot) throws -> Result {
        try start(arguments, environment: extra, in: directory).wait()
    }

    /// A running `moosic`: its output is collected while it runs (so a chatty process never blocks on a
    /// full pipe), for commands that wait on something the test must do (the browser's part of
    /// `auth login`) or that run side by side.
    final class Running: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var out = Data(), err = Data()
        private var pipes: [(Pipe, Bool)] = []

        fileprivate init() {}

        fileprivate func collect(_ pipe: Pipe, intoErr: Bool) {
            pipes.append((pipe, intoErr))
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                lock.lock()
                if intoErr { err.append(data) } else { out.append(data) }
                lock.unlock()
            }
        }

        var stderr: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: err, as: UTF8.self)
        }

        /// The first stderr line that passes `matches`, waiting up to `timeout` seconds for it.
        func stderrLine(timeout: TimeInterval = 20, where matches: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let line = stderr.split(separator: "\n").map(String.init).first(where: matches) { return line }
                if !process.isRunning { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no such stderr line; stderr: \(stderr)"])
        }

        func wait() -> Result {
            process.waitUntilExit()
            // Stop the handlers, then take what is left in the pipes.
            for (pipe, intoErr) in pipes {
                pipe.fileHandleForReading.readabilityHandler = nil
                let rest = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.lock()
                if intoErr { err.append(rest) } else { out.append(rest) }
                lock.unlock()
            }
            lock.lock()
            defer { lock.unlock() }
            return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                          stderr: String(decoding: err, as: UTF8.self))
        }
    }

    func start(_ arguments: [String], environment extra: [String: String] = [:], in directory: URL = CLIRunner.repositoryRoot) throws -> Running {
        let running = Running()
        let process = running.process
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["MOOSIC_HOME"] = home.path
        // A settings file of the test's own (none until a test writes it), never the user's.
        environment["MOOSIC_CONFIG"] = settingsFile.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        running.collect(out, intoErr: false)
        running.collect(err, intoErr: true)
        try process.run()
        return running
    }
}
