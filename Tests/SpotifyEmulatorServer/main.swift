import Foundation
import SpotifyEmulator

// `spotify-emulator <package root>`: the test emulator as a process of its own, for tests that are
// not Swift (Scripts/browser-test.py). Prints its base URL on stdout, then serves until killed;
// GET /emulator/state says what moosic made (playlists, cover uploads).
let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? FileManager.default.currentDirectoryPath)
let emulator = try SpotifyEmulator(fixtures: root.appendingPathComponent("Fixtures/spotify/moosicdemo"),
                                   catalog: root.appendingPathComponent("Fixtures/catalog.csv"))
FileHandle.standardOutput.write(Data((emulator.baseURL.absoluteString + "\n").utf8))
while true { sleep(3600) }
