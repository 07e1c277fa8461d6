/// The words of a /bin/sh command line, as far as `moosic cron`'s lines need: what
/// `Crontab.RefreshLine` reads a crontab line with.
enum ShellWords {
    /// Splits a /bin/sh command line into words: blanks separate, '…' and "…" quote, \ escapes.
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { word.append(c); escaped = false; inWord = true; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { word.append(c) }
                continue
            }
            switch c {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'", "\"":
                quote = c; inWord = true
            case "\\":
                escaped = true
            default:
                word.append(c); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
