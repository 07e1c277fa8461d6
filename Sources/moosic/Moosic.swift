import ArgumentParser
import MoosicCore
import MoosicApp
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// The `moosic` command: a thin layer over MoosicApp. Each subcommand parses its options,
/// calls the library and prints the result; errors are reported in one place (ErrorReporting).
@main
struct Moosic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moosic",
        abstract: "Turn a face photo into a Spotify playlist that fits (or lifts) your mood.",
        subcommands: [RecommendCommand.self, RefreshCommand.self, CatalogCommand.self, MoodCommand.self, AuthCommand.self, LibraryCommand.self, PlaylistCommand.self,
                      TrainCommand.self, EvalCommand.self, CronCommand.self, DoctorCommand.self, HistoryCommand.self, DislikesCommand.self, ServeCommand.self,
                      ConfigCommand.self],
        defaultSubcommand: RecommendCommand.self
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            // The settings file under the environment, for every command but `config` (which reads and
            // writes the file itself, and must work to repair a broken one).
            if !(command is ConfigCommand.List || command is ConfigCommand.Get || command is ConfigCommand.SetValue
                 || command is ConfigCommand.Unset) {
                try Installation.activate()
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReporting.exit(with: error)
        }
    }
}
