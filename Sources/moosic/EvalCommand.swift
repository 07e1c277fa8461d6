import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model on labelled data.",
        subcommands: [EvalEmotionCommand.self, EvalGenresCommand.self]
    )
}
