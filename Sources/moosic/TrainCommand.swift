import ArgumentParser
import MoosicApp
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model from a CSV with the columns of the Spotify Tracks dataset.",
        subcommands: [TrainEmotionCommand.self, TrainGenresCommand.self]
    )
}
