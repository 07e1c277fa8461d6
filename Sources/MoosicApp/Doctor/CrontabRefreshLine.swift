import Foundation

extension Crontab {
    /// A crontab line that runs `<…/moosic> refresh`, as `moosic cron` writes it.
    public struct RefreshLine: Sendable, Equatable {
        public var schedule: String
        public var binary: String
        public var user: String?
        public var offline: Bool
        /// The VAR=value assignments before the command.
        public var variables: [String: String]

        public init?(_ line: String) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let words = ShellWords.split(trimmed.replacingOccurrences(of: "\\%", with: "%"))
            guard let refresh = words.indices.first(where: { i in
                i > 0 && words[i] == "refresh" && URL(fileURLWithPath: words[i - 1]).lastPathComponent == "moosic"
            }) else { return nil }
            // "@daily …" has one schedule field, "M H dom mon dow …" five.
            let fields = words.first?.hasPrefix("@") == true ? 1 : 5
            guard refresh - 1 >= fields else { return nil }
            schedule = words.prefix(fields).joined(separator: " ")
            binary = words[refresh - 1]
            var variables: [String: String] = [:]
            for word in words[fields..<(refresh - 1)] {
                guard let equals = word.firstIndex(of: "=") else { continue }
                variables[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            self.variables = variables
            let rest = Array(words[(refresh + 1)...])
            if let i = rest.firstIndex(of: "--user"), i + 1 < rest.count {
                user = rest[i + 1]
            } else {
                user = rest.first { $0.hasPrefix("--user=") }.map { String($0.dropFirst("--user=".count)) }
            }
            offline = rest.contains("--offline")
        }
    }
}
