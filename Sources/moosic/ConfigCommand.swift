import ArgumentParser
import Foundation
import MoosicApp
import MoosicCore

/// `moosic config`: the settings file (`Installation`), set once for the command line, cron and the page.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Read and write moosic's settings file (~/.config/moosic/config.toml).",
        discussion: """
            A setting is a MOOSIC_* variable, named with or without its prefix (client_id, MOOSIC_CLIENT_ID). \
            The environment overrides the file.
            """,
        subcommands: [List.self, Get.self, SetValue.self, Unset.self]
    )

    static func name(_ text: String) throws -> String {
        guard let name = Installation.settingName(text) else {
            throw ValidationError("no setting \(text) (settings: \(Installation.settings.map(\.name).joined(separator: ", ")))")
        }
        return name
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every setting, its value in force and where it came from.")

        @Flag(help: "Print the settings as JSON.") var json = false

        struct SettingJSON: Encodable {
            var name: String
            var value: String?
            var source: Installation.Source
        }

        struct ListJSON: Encodable {
            var file: String
            var settings: [SettingJSON]
        }

        func run() throws {
            let installation = try Installation.load()
            let rows = Installation.settings.map {
                SettingJSON(name: $0.name, value: installation.value(of: $0.name), source: installation.source(of: $0.name))
            }
            if json {
                try Output.printJSON(ListJSON(file: installation.settingsFile.path, settings: rows))
                return
            }
            print("settings file: \(installation.settingsFile.path)"
                  + (FileManager.default.fileExists(atPath: installation.settingsFile.path) ? "" : " (none yet)"))
            let width = rows.map(\.name.count).max() ?? 0
            for row in rows {
                let value = row.value.map { $0.isEmpty ? "(empty)" : $0 } ?? "(not set)"
                print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(value)  [\(row.source.rawValue)]")
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a setting's value in force (environment, settings file, else its default).")

        @Argument(help: "The setting, e.g. client_id.") var name: String

        func run() throws {
            let name = try ConfigCommand.name(self.name)
            guard let value = try Installation.load().value(of: name) else {
                throw MoosicError.configuration("\(name) is not set (moosic config set \(name) <value>)")
            }
            print(value)
        }
    }

    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Write a setting into the settings file (an empty value is kept: e.g. features_url \"\" turns the service off).")

        @Argument(help: "The setting, e.g. client_id.") var name: String
        @Argument(help: "Its value.") var value: String

        func run() throws {
            let name = try ConfigCommand.name(self.name)
            let installation = try Installation.load()
            var values = installation.fileValues
            values[name] = value
            try Installation.writeSettings(values, to: installation.settingsFile)
            print("\(name) set in \(installation.settingsFile.path)")
            if installation.environmentVariables[name] != nil {
                FileHandle.standardError.write(Data("moosic: note: \(name) is also set in the environment, which overrides the file\n".utf8))
            }
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a setting from the settings file (its default applies again).")

        @Argument(help: "The setting, e.g. features_url.") var name: String

        func run() throws {
            let name = try ConfigCommand.name(self.name)
            let installation = try Installation.load()
            var values = installation.fileValues
            guard values.removeValue(forKey: name) != nil else {
                print("\(name) was not in \(installation.settingsFile.path)")
                return
            }
            try Installation.writeSettings(values, to: installation.settingsFile)
            print("\(name) removed from \(installation.settingsFile.path)")
        }
    }
}
