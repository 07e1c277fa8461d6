import ArgumentParser

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model from a catalog CSV.",
        subcommands: [TrainGenresCommand.self]
    )
}
