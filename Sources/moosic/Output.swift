import Foundation
import MoosicApp
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

enum Output {
    /// Prints `value` as one line of JSON, keys sorted and snake_case (`facesFound` → `faces_found`),
    /// the one key convention of the contract's JSON.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let data = try MoosicJSON.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}
