import Foundation
import MoosicML

/// Where moosic keeps its state and finds its models, resolved from the environment
/// variables of the command-line contract.
public struct MoosicEnvironment: Sendable {
    public var home: URL
    public var modelsDirectory: URL?

    public init(home: URL, modelsDirectory: URL? = nil) {
        self.home = home
        self.modelsDirectory = modelsDirectory
    }

    /// MOOSIC_HOME, else $XDG_DATA_HOME/moosic, else ~/.local/share/moosic.
    public static func resolve(_ variables: [String: String] = ProcessInfo.processInfo.environment) -> MoosicEnvironment {
        let home: URL
        if let explicit = variables["MOOSIC_HOME"], !explicit.isEmpty {
            home = URL(fileURLWithPath: explicit, isDirectory: true)
        } else if let xdg = variables["XDG_DATA_HOME"], !xdg.isEmpty {
            home = URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("moosic", isDirectory: true)
        } else {
            let userHome = variables["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            home = userHome.appendingPathComponent(".local/share/moosic", isDirectory: true)
        }
        let models = variables["MOOSIC_MODELS"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
        return MoosicEnvironment(home: home, modelsDirectory: models)
    }

    public var storeURL: URL { home.appendingPathComponent("moosic.sqlite") }

    /// The models shipped with the build: Models/ of the source tree this binary was built from.
    public static let shippedModelsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models", isDirectory: true)

    /// The file of a trained model: in MOOSIC_MODELS when set, else among the shipped models.
    /// A missing model is a configuration error (exit 78) that names where it was looked for.
    public func modelURL(_ fileName: String) throws -> URL {
        let url = (modelsDirectory ?? Self.shippedModelsDirectory).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MoosicError.configuration("model \(fileName) not found in \(url.deletingLastPathComponent().path) (set MOOSIC_MODELS to the folder that holds it)")
        }
        return url
    }

    /// Creates the state directory with mode 0700: it will hold tokens.
    public func prepareHome() throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw MoosicError.configuration("cannot create MOOSIC_HOME at \(home.path): \(error.localizedDescription)")
        }
    }
}
