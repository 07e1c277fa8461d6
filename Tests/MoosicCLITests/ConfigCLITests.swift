import Foundation
import Testing
import TestSupport
@testable import MoosicApp

/// Settings set once (`moosic config`, the settings file), the environment over them, and the cron line.
@Suite struct ConfigCLITests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    struct ListJSON: Decodable {
        struct Setting: Decodable { var name: String; var value: String?; var source: String }
        var file: String
        var settings: [Setting]
        func setting(_ name: String) -> Setting? { settings.first { $0.name == name } }
    }

    func list(_ environment: [String: String] = [:]) throws -> ListJSON {
        let result = try cli.run(["config", "list", "--json"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(ListJSON.self, from: Data(result.stdout.utf8))
    }

    @Test func setGetListAndUnset() throws {
        let before = try list()
        #expect(before.file == cli.settingsFile.path)
        #expect(before.setting("MOOSIC_FEATURES_URL")?.source == "default")
        #expect(before.setting("MOOSIC_FEATURES_URL")?.value == "https://api.reccobeats.com/v1")
        #expect(before.setting("MOOSIC_CLIENT_ID")?.value == nil)
        #expect(before.setting("MOOSIC_HOME")?.source == "environment")

        let set = try cli.run(["config", "set", "features_url", ""])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "MOOSIC_FEATURES_URL set in \(cli.settingsFile.path)\n")
        #expect(try cli.run(["config", "set", "MOOSIC_CLIENT_ID", "app-1"]).status == 0)
        let text = try String(contentsOf: cli.settingsFile, encoding: .utf8)
        #expect(text.contains("MOOSIC_CLIENT_ID = 'app-1'") || text.contains("MOOSIC_CLIENT_ID = \"app-1\""), "\(text)")
        let mode = try FileManager.default.attributesOfItem(atPath: cli.settingsFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        #expect(try cli.run(["config", "get", "features_url"]).stdout == "\n")
        #expect(try cli.run(["config", "get", "client-id"]).stdout == "app-1\n")
        let after = try list()
        #expect(after.setting("MOOSIC_FEATURES_URL")?.source == "settings file")
        #expect(after.setting("MOOSIC_FEATURES_URL")?.value == "")
        // The environment wins over the file.
        let overridden = try list(["MOOSIC_FEATURES_URL": "http://127.0.0.1:9/v1"])
        #expect(overridden.setting("MOOSIC_FEATURES_URL")?.source == "environment")
        #expect(try cli.run(["config", "get", "features_url"], environment: ["MOOSIC_FEATURES_URL": "http://x/v1"]).stdout == "http://x/v1\n")
        let note = try cli.run(["config", "set", "features_url", ""], environment: ["MOOSIC_FEATURES_URL": "http://x/v1"])
        #expect(note.stderr == "moosic: note: MOOSIC_FEATURES_URL is also set in the environment, which overrides the file\n")

        let unset = try cli.run(["config", "unset", "features_url"])
        #expect(unset.stdout == "MOOSIC_FEATURES_URL removed from \(cli.settingsFile.path)\n")
        #expect(try list().setting("MOOSIC_FEATURES_URL")?.source == "default")
        #expect(try list().setting("MOOSIC_CLIENT_ID")?.value == "app-1")
    }

    @Test func errors() throws {
        let unknown = try cli.run(["config", "set", "colour", "blue"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("moosic: error: no setting colour (settings: MOOSIC_CLIENT_ID, "))
        let none = try cli.run(["config", "get", "client_id"])
        #expect(none.status == 78)
        #expect(none.stderr == "moosic: error: MOOSIC_CLIENT_ID is not set (moosic config set MOOSIC_CLIENT_ID <value>)\n")
        // A broken settings file stops every command with 78, naming it.
        try FileManager.default.createDirectory(at: cli.settingsFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        for (text, says) in [("MOOSIC_CLIENT_ID = \"a\"\nCOLOUR = \"blue\"\n", "has an unknown key COLOUR"),
                             ("MOOSIC_CLIENT_ID = 3\n", "gives MOOSIC_CLIENT_ID a value that is not a string"),
                             ("MOOSIC_CLIENT_ID = \"a\n", "is not valid TOML")] {
            try Data(text.utf8).write(to: cli.settingsFile)
            let result = try cli.run(["catalog", "stats"])
            #expect(result.status == 78)
            #expect(result.stderr.hasPrefix("moosic: error: the settings file \(cli.settingsFile.path) "), "\(result.stderr)")
            #expect(result.stderr.contains(says), "\(result.stderr)")
        }
    }

    /// The settings file reaches every command: a client id set once is the doctor's, and the features
    /// service turned off there is off.
    @Test func theFileReachesTheCommandsAndDoctorSaysWhereEachSettingCameFrom() throws {
        #expect(try cli.run(["config", "set", "client_id", "app-from-file"]).status == 0)
        #expect(try cli.run(["config", "set", "features_url", ""]).status == 0)
        let doctor = try cli.run(["doctor", "--offline"], environment: ["MOOSIC_SPOTIFY_API_URL": "http://127.0.0.1:9/v1"])
        let lines = doctor.stdout.split(separator: "\n").map(String.init)
        let settings = try #require(lines.first)
        #expect(settings.hasPrefix("ok    settings  "), "\(doctor.stdout)")
        #expect(settings.contains("settings file \(cli.settingsFile.path);"))
        #expect(settings.contains("from the environment: MOOSIC_HOME, MOOSIC_SPOTIFY_API_URL"))
        #expect(settings.contains("from the settings file: MOOSIC_CLIENT_ID, MOOSIC_FEATURES_URL (empty)"))
        #expect(lines.contains { $0.contains("MOOSIC_CLIENT_ID is set (app-from-file)") }, "\(doctor.stdout)")
        #expect(lines.contains { $0.hasPrefix("skip") && $0.contains("features service") }, "\(doctor.stdout)")

        struct DoctorJSON: Decodable {
            struct Setting: Decodable { var name: String; var value: String?; var source: String }
            var settings_file: String
            var settings: [Setting]
        }
        let json = try JSONDecoder().decode(DoctorJSON.self, from: Data(try cli.run(["doctor", "--offline", "--json"]).stdout.utf8))
        #expect(json.settings_file == cli.settingsFile.path)
        #expect(json.settings.first { $0.name == "MOOSIC_CLIENT_ID" }.map { ($0.value, $0.source) } ?? (nil, "") == ("app-from-file", "settings file"))
        #expect(json.settings.first { $0.name == "MOOSIC_HOME" }?.source == "environment")
        #expect(json.settings.first { $0.name == "MOOSIC_CRONTAB" }.map { ($0.value, $0.source) } ?? (nil, "") == ("crontab", "default"))
    }

    /// cron passes no environment: every moosic variable in force goes on the line, an empty one included.
    @Test func cronCarriesEveryMoosicVariableOfTheEnvironmentAnEmptyOneIncluded() throws {
        let result = try cli.run(["cron", "--user", "x", "--at", "04:30"],
                                 environment: ["MOOSIC_FEATURES_URL": "", "MOOSIC_CLIENT_ID": "app 1", "MOOSIC_MODELS": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("30 4 * * * MOOSIC_HOME=\(cli.home.path) MOOSIC_CLIENT_ID='app 1' MOOSIC_MODELS='' "), "\(result.stdout)")
        #expect(result.stdout.contains(" MOOSIC_FEATURES_URL='' "))
        #expect(result.stdout.contains(" MOOSIC_CONFIG=\(cli.settingsFile.path) "), "the settings file the refresh must read")
    }

    /// A setting of the file is not copied onto the line: the refresh reads the file, so a later change reaches it.
    @Test func cronLeavesTheFileSettingsToTheFile() throws {
        #expect(try cli.run(["config", "set", "features_url", ""]).status == 0)
        let result = try cli.run(["cron", "--user", "x", "--at", "04:30"])
        #expect(!result.stdout.contains("MOOSIC_FEATURES_URL"), "\(result.stdout)")
    }
}
