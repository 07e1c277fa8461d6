import Foundation

/// The one JSON convention of moosic's output (the command line and the page): keys sorted and
/// snake_case (`facesFound` → `faces_found`).
public enum MoosicJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(value)
    }
}
