import Foundation
import MoosicCore
import MoosicIO

// The settings that MoosicCore's values are made from, read from an installation's variables
// (`Installation.variables`): the domain knows no variable names and reads no environment.

extension MoosicEnvironment {
    /// MOOSIC_HOME, else $XDG_DATA_HOME/moosic, else ~/.local/share/moosic; MOOSIC_MODELS; MOOSIC_DATA.
    public static func resolve(_ variables: [String: String]) -> MoosicEnvironment {
        func folder(_ name: String) -> URL? {
            variables[name].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
        }
        let home: URL
        if let explicit = folder("MOOSIC_HOME") {
            home = explicit
        } else if let xdg = folder("XDG_DATA_HOME") {
            home = xdg.appendingPathComponent("moosic", isDirectory: true)
        } else {
            let userHome = folder("HOME") ?? FileManager.default.homeDirectoryForCurrentUser
            home = userHome.appendingPathComponent(".local/share/moosic", isDirectory: true)
        }
        return MoosicEnvironment(home: home, modelsDirectory: folder("MOOSIC_MODELS"),
                                 dataPlaces: DataPlace.searchOrder(dataRoot: folder("MOOSIC_DATA")))
    }
}

extension ListenerMemory {
    /// MOOSIC_FRESH_NIGHTS: how many last nights' songs a run avoids (default 7; 0 turns freshness off).
    public static let freshNightsVariable = "MOOSIC_FRESH_NIGHTS"

    public static func freshNights(_ variables: [String: String]) throws -> Int {
        guard let text = variables[freshNightsVariable], !text.isEmpty else { return defaultFreshNights }
        guard let nights = Int(text), (0...365).contains(nights) else {
            throw MoosicError.usage("\(freshNightsVariable) must be a whole number of nights from 0 to 365, not \(text)")
        }
        return nights
    }
}
