import Foundation
import MoosicML

/// The crontab line that runs `moosic refresh` every night.
public enum CronLine {
    /// "HH:MM" → (hour, minute), or nil when it is not a valid time of day.
    public static func parseTime(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }

    /// Quotes a word for /bin/sh, which cron uses to run the line.
    public static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.unicodeScalars.allSatisfy({ CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:").contains($0) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A line for `crontab -e`: absolute paths only, since cron runs with an almost empty
    /// environment; the variables moosic reads are set on the line; output is appended to a log.
    /// `%` is special in crontab lines, so it is escaped.
    public static func make(binary: String, user: String, hour: Int, minute: Int, home: String,
                            variables: [(String, String)] = [], log: String) -> String {
        let assignments = ([("MOOSIC_HOME", home)] + variables).map { "\($0.0)=\(shellQuoted($0.1))" }
        let command = assignments + [shellQuoted(binary), "refresh", "--user", shellQuoted(user),
                                     ">>", shellQuoted(log), "2>&1"]
        return "\(minute) \(hour) * * * " + command.joined(separator: " ").replacingOccurrences(of: "%", with: "\\%")
    }
}
