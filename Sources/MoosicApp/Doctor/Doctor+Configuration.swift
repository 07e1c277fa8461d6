import Foundation

extension Doctor {
    /// The settings in force and where each came from (environment, settings file, default): always `ok`,
    /// the first line of `moosic doctor`.
    public static func settingsCheck(_ installation: Installation) -> DoctorCheck {
        func names(_ source: Installation.Source) -> [String] {
            Installation.settings.filter { installation.source(of: $0.name) == source }.map { setting in
                setting.name + (installation.variables[setting.name]?.isEmpty == true ? " (empty)" : "")
            }
        }
        let exists = FileManager.default.fileExists(atPath: installation.settingsFile.path)
        var parts = ["settings file \(installation.settingsFile.path)\(exists ? "" : " (none)")"]
        let environment = names(.environment), file = names(.file), defaults = names(.defaultValue)
        if !environment.isEmpty { parts.append("from the environment: " + environment.joined(separator: ", ")) }
        if !file.isEmpty { parts.append("from the settings file: " + file.joined(separator: ", ")) }
        if !defaults.isEmpty { parts.append("default: " + defaults.joined(separator: ", ")) }
        return DoctorCheck("settings", .ok, parts.joined(separator: "; "))
    }

    /// MOOSIC_CLIENT_ID, trimmed; nil when unset or blank.
    var clientIDValue: String? {
        variables["MOOSIC_CLIENT_ID"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func clientID() -> DoctorCheck {
        if let id = clientIDValue { return DoctorCheck("client id", .ok, "MOOSIC_CLIENT_ID is set (\(id))") }
        return DoctorCheck("client id", offline ? .warn : .fail,
                           "MOOSIC_CLIENT_ID is not set: logins and online runs exit 78" + (offline ? " (--offline runs need none)" : ""),
                           fix: "create an app at https://developer.spotify.com/dashboard (redirect URI http://127.0.0.1:8888/callback), then moosic config set client_id <its client id>")
    }
}
