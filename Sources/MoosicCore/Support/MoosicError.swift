import MoosicML

/// The one error type of MoosicCore. Every failure a user can cause or meet is one of these cases;
/// the `moosic` executable maps each case to its exit code and prints `moosic: error: <message>`.
///
/// | case | exit code | meaning |
/// |---|---|---|
/// | `usage` | 64 | the command line is wrong |
/// | `invalidData` | 65 | bad input data: invalid CSV, unreadable or corrupt photo, no face found (its `cause` says which, for the page) |
/// | `fileMissing` | 66 | an input file does not exist |
/// | `temporary` | 75 | try again later: network, rate limit beyond the wait budget, lock held, store busy |
/// | `notAuthorised` | 77 | no login for that user, revoked refresh token, missing scope |
/// | `configuration` | 78 | no client id, no catalog, no model, a corrupt store |
/// | `internalFailure` | 1 | a bug or an environment problem moosic cannot name better |
public enum MoosicError: Error, Equatable, Sendable, CustomStringConvertible {
    case usage(String)
    case invalidData(String, cause: InvalidDataCause = .other)
    case fileMissing(path: String)
    case temporary(String)
    case notAuthorised(String)
    case configuration(String)
    case internalFailure(String)

    /// The one-line message shown after `moosic: error: `.
    public var message: String {
        switch self {
        case .usage(let text), .invalidData(let text, _), .temporary(let text),
             .notAuthorised(let text), .configuration(let text), .internalFailure(let text):
            return text
        case .fileMissing(let path):
            return "no such file: \(path)"
        }
    }

    public var description: String { message }

    /// What was wrong with the data, where a caller answers differently by it: the page's HTTP status
    /// (413 for a photo over the limits, 422 for the rest) comes from here, never from the message.
    public enum InvalidDataCause: Sendable, Equatable {
        /// Over the byte or pixel limit of a photo.
        case photoTooLarge
        /// A photo (or every camera frame) without a face.
        case noFace
        /// Not an image moosic can decode, or a damaged one.
        case unreadablePhoto
        case other
    }
}

extension MoosicError {
    /// A MoosicML error as the user meets it: bad settings are a usage error (64), bad data or a
    /// corrupt model's bytes bad input data (65).
    public init(_ error: MLError) {
        switch error {
        case .invalidSettings(let message): self = .usage(message)
        case .invalidData(let message): self = .invalidData(message)
        }
    }
}
