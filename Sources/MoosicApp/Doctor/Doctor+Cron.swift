import Foundation
import MoosicStore

extension Doctor {
    func cron() -> [DoctorCheck] {
        let install = "(crontab -l 2>/dev/null; moosic cron --user \(user ?? "<id>")) | crontab -"
        let listing = crontab()
        let lines: [Crontab.RefreshLine]
        switch listing {
        case .unavailable(let why):
            return [DoctorCheck("cron", .warn, "cannot read the crontab (\(why)): no nightly refresh", fix: "install cron, then \(install)")]
        case .lines(let text):
            lines = text.compactMap(Crontab.RefreshLine.init).filter { user == nil || $0.user == user }
        }
        if lines.isEmpty {
            return [DoctorCheck("cron", .warn, "no `moosic refresh` line in the crontab" + (user.map { " for \($0)" } ?? "") + ": the playlist is not refreshed nightly",
                                fix: install)]
        }
        return lines.map { line in
            let name = "cron \(line.user ?? "?")"
            let again = "replace the line with the output of `moosic cron --user \(line.user ?? "<id>")` (crontab -e)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: line.binary, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isExecutableFile(atPath: line.binary) else {
                return DoctorCheck(name, .fail, "the crontab runs \(line.binary), which is not an executable file: the nightly refresh fails", fix: again)
            }
            if !(line.offline || line.variables["MOOSIC_CLIENT_ID"].map({ !$0.isEmpty }) == true
                 || settingsFileValues["MOOSIC_CLIENT_ID"].map({ !$0.isEmpty }) == true) {
                return DoctorCheck(name, .fail, "the crontab line sets no MOOSIC_CLIENT_ID (cron passes no environment) and the settings file has none: the nightly refresh exits 78",
                                   fix: "moosic config set client_id …")
            }
            if let home = line.variables["MOOSIC_HOME"], URL(fileURLWithPath: home).standardizedFileURL.path != environment.home.standardizedFileURL.path {
                return DoctorCheck(name, .warn, "\(line.schedule) \(line.binary), with another MOOSIC_HOME (\(home)) than this one (\(environment.home.path))",
                                   fix: "use the same MOOSIC_HOME, or " + again)
            }
            return DoctorCheck(name, .ok, "\(line.schedule) \(line.binary) refresh --user \(line.user ?? "?")")
        }
    }

    func refreshRuns(store: Store?) -> [DoctorCheck] {
        guard let store else { return [] }
        let runs: [(run: Store.RefreshRun, startedAt: Date?, finishedAt: Date?)]
        do {
            runs = try store.latestRefreshRuns(user: user, limit: Self.refreshRunsShown)
        } catch {
            return [DoctorCheck("refresh runs", .fail, ErrorReport(error).message)]
        }
        if runs.isEmpty {
            return [DoctorCheck("refresh runs", .warn, "no `moosic refresh` has run yet" + (user.map { " for \($0)" } ?? ""),
                                fix: "moosic refresh --user \(user ?? "<id>") (cron runs it nightly)")]
        }
        var newestSeen = Set<String>()
        return runs.map { entry in
            let run = entry.run
            let isNewest = newestSeen.insert(run.user).inserted
            let when = entry.startedAt.map(Self.minute) ?? "?"
            let name = "refresh \(run.user)"
            switch run.outcome {
            case "ok":
                return DoctorCheck(name, .ok, "\(when): ok, \(run.trackCount ?? 0) tracks, mood \(run.mood.map { String(format: "%.2f", $0) } ?? "?") (\(run.moodSource ?? "?"))"
                                   + (run.message.map { "; \($0)" } ?? ""))
            case "running":
                let stale = entry.startedAt.map { now.timeIntervalSince($0) > 3600 } ?? true
                return DoctorCheck(name, stale ? .warn : .ok, stale ? "\(when): started and never finished (killed?)" : "\(when): running now",
                                   fix: stale ? "see \(environment.home.appendingPathComponent("refresh.log").path)" : nil)
            default:
                let message = run.message ?? "no message"
                return DoctorCheck(name, isNewest ? .fail : .warn, "\(when): \(run.outcome): \(message)" + (isNewest ? "" : " (a later run went on)"),
                                   fix: isNewest ? "fix what the message says, then moosic refresh --user \(run.user)" : nil)
            }
        }
    }
}
