/// The one error type of MoosicML. The library knows nothing of exit codes or of moosic's files;
/// the `moosic` executable maps each case to one (see `ExitStatus` there).
///
/// | case | exit code | meaning |
/// |---|---|---|
/// | `invalidSettings` | 64 | training settings that cannot train a model (a usage error) |
/// | `invalidData` | 65 | training data, or a model's bytes, that cannot be used |
public enum MLError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSettings(String)
    case invalidData(String)

    public var message: String {
        switch self {
        case .invalidSettings(let text), .invalidData(let text): return text
        }
    }

    public var description: String { message }
}
