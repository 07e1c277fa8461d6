import Foundation
import Testing
import TestSupport
@testable import MoosicCore
import MoosicIO
@testable import MoosicApp

@Suite struct InstallationTests {
    @Test func theEnvironmentWinsOverTheFileAndAnEmptyVariableIsAValue() {
        let installation = Installation(environment: ["MOOSIC_FEATURES_URL": "", "HOME": "/u"],
                                        fileValues: ["MOOSIC_FEATURES_URL": "https://f/v1", "MOOSIC_CLIENT_ID": "app"],
                                        settingsFile: URL(fileURLWithPath: "/u/.config/moosic/config.toml"))
        #expect(installation.variables["MOOSIC_FEATURES_URL"] == "")
        #expect(installation.variables["MOOSIC_CLIENT_ID"] == "app")
        #expect(installation.source(of: "MOOSIC_FEATURES_URL") == .environment)
        #expect(installation.source(of: "MOOSIC_CLIENT_ID") == .file)
        #expect(installation.source(of: "MOOSIC_MODELS") == .defaultValue)
        #expect(installation.value(of: "MOOSIC_SPOTIFY_API_URL") == "https://api.spotify.com/v1")
        #expect(installation.value(of: "MOOSIC_HOME") == "/u/.local/share/moosic")
        #expect(installation.value(of: "MOOSIC_MODELS") == nil)
    }

    @Test func theSettingsFileIsFoundLikeXDGSays() {
        #expect(Installation.settingsFileURL(["HOME": "/u"]).path == "/u/.config/moosic/config.toml")
        #expect(Installation.settingsFileURL(["HOME": "/u", "XDG_CONFIG_HOME": "/x"]).path == "/x/moosic/config.toml")
        #expect(Installation.settingsFileURL(["HOME": "/u", "XDG_CONFIG_HOME": "/x", "MOOSIC_CONFIG": "/c.toml"]).path == "/c.toml")
    }

    @Test func aSettingIsNamedWithOrWithoutItsPrefix() {
        #expect(Installation.settingName("client_id") == "MOOSIC_CLIENT_ID")
        #expect(Installation.settingName("features-url") == "MOOSIC_FEATURES_URL")
        #expect(Installation.settingName("MOOSIC_HOME") == "MOOSIC_HOME")
        #expect(Installation.settingName("PATH") == nil)
        #expect(Installation.settingName("moosic_colour") == nil)
    }

    @Test func writtenSettingsReadBackAndNoFileIsNoSettings() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("deep/moosic/config.toml")
        #expect(try Installation.readSettings(url) == [:])
        let values = ["MOOSIC_CLIENT_ID": "a\"b'c", "MOOSIC_FEATURES_URL": ""]
        try Installation.writeSettings(values, to: url)
        #expect(try Installation.readSettings(url) == values)
        try Installation.writeSettings([:], to: url)
        #expect(try Installation.readSettings(url) == [:])
    }

    @Test func theCronLineCarriesTheEnvironmentsMoosicVariablesOnly() {
        let installation = Installation(environment: ["MOOSIC_HOME": "/h", "MOOSIC_FEATURES_URL": "", "MOOSIC_CLIENT_ID": "app",
                                                      "PATH": "/bin", "MOOSIC_DEV_DATA": "/d"],
                                        fileValues: ["MOOSIC_MODELS": "/m"], settingsFile: URL(fileURLWithPath: "/u/.config/moosic/config.toml"))
        #expect(installation.cronLine(user: "u", at: (hour: 5, minute: 7))
                == "7 5 * * * MOOSIC_HOME=/h MOOSIC_CLIENT_ID=app MOOSIC_FEATURES_URL='' \(MoosicEnvironment.executableURL.path) refresh --user u >> /h/refresh.log 2>&1")
    }
}
