import Foundation
import MoosicCore
import MoosicML

/// Where moosic keeps its state and finds its models and fixtures (MoosicApp's `Installation`
/// resolves it from the variables of the command-line contract).
public struct MoosicEnvironment: Sendable {
    public var home: URL
    /// MOOSIC_MODELS: when set, the only folder models are looked for in.
    public var modelsDirectory: URL?
    /// Where the shipped data (Models/ and Fixtures/) is looked for, first place first.
    public var dataPlaces: [DataPlace]

    public init(home: URL, modelsDirectory: URL? = nil, dataPlaces: [DataPlace] = DataPlace.searchOrder(dataRoot: nil)) {
        self.home = home
        self.modelsDirectory = modelsDirectory
        self.dataPlaces = dataPlaces
    }

    public var storeURL: URL { home.appendingPathComponent("moosic.sqlite") }

    /// The shipped models: Models/ in the first data place that has one, else a configuration
    /// error (exit 78) naming every place looked in.
    public func shippedModelsDirectory() throws -> URL {
        try dataFolder("Models", hint: "set MOOSIC_MODELS to the folder that holds the models")
    }

    /// The shipped fixtures (the demo's catalog, photos and Spotify libraries): Fixtures/ in the
    /// first data place that has one, else a configuration error (exit 78) naming every place looked in.
    public func fixturesDirectory() throws -> URL {
        try dataFolder("Fixtures", hint: "set MOOSIC_DATA to the folder that holds Fixtures/")
    }

    /// The folder models are read from and written to by default: MOOSIC_MODELS when set, else the shipped models.
    public func modelsFolder() throws -> URL {
        try modelsDirectory ?? shippedModelsDirectory()
    }

    /// The file of a trained model: in MOOSIC_MODELS when set, else among the shipped models.
    /// A missing model is a configuration error (exit 78) that names where it was looked for.
    public func modelURL(_ fileName: String) throws -> URL {
        let url = try modelsFolder().appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MoosicError.configuration("model \(fileName) not found in \(url.deletingLastPathComponent().path) (set MOOSIC_MODELS to the folder that holds it)")
        }
        return url
    }

    private func dataFolder(_ name: String, hint: String) throws -> URL {
        let candidates = dataPlaces.map { $0.root.appendingPathComponent(name, isDirectory: true) }
        var isDirectory: ObjCBool = false
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue }) {
            return found
        }
        let looked = zip(dataPlaces, candidates).map { "\($1.path) (\($0.origin))" }
        throw MoosicError.configuration("no \(name) folder found; looked in \(looked.joined(separator: ", ")) (\(hint))")
    }

    /// This process's executable with symbolic links resolved: /proc/self/exe, else argv[0].
    public static let executableURL: URL = {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }()

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

/// A folder that may hold the shipped data (Models/ and Fixtures/), and why it is looked in.
public struct DataPlace: Sendable, Equatable {
    public var root: URL
    /// For messages: "MOOSIC_DATA", "beside the executable", "the source tree of this build".
    public var origin: String

    public init(root: URL, origin: String) {
        self.root = root
        self.origin = origin
    }

    /// MOOSIC_DATA alone when it is set. Otherwise `<bin>/../share/moosic` (an installed layout),
    /// then, for a development build (`<package>/.build/<triple>/<config>/moosic`), the package the
    /// build folder is in. Found from the executable, not the sources' compile-time paths, so a
    /// binary keeps working when its source tree moves or is gone.
    public static func searchOrder(dataRoot: URL?, executable: URL = MoosicEnvironment.executableURL) -> [DataPlace] {
        if let dataRoot { return [DataPlace(root: dataRoot, origin: "MOOSIC_DATA")] }
        let prefix = executable.deletingLastPathComponent().deletingLastPathComponent()
        var places = [DataPlace(root: prefix.appendingPathComponent("share/moosic", isDirectory: true), origin: "beside the executable")]
        if let package = package(building: executable) {
            places.append(DataPlace(root: package, origin: "the source tree of this build"))
        }
        return places
    }

    /// The package whose `.build` folder holds `executable`, if it is in one.
    static func package(building executable: URL) -> URL? {
        var folder = executable.deletingLastPathComponent()
        while folder.pathComponents.count > 1 {
            if folder.lastPathComponent == ".build" {
                let package = folder.deletingLastPathComponent()
                return FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path) ? package : nil
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}
