import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
import MoosicIO
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct ONNXMetadataTests {
    /// A length-delimited protobuf field.
    func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(payload.count)] + payload }

    func model(inputSize: String) -> [UInt8] {
        // ir_version 7 (varint), producer_name, a graph stand-in, then metadata_props entries.
        var bytes: [UInt8] = [1 << 3, 7] + field(2, Array("test".utf8)) + field(7, [1, 2, 3, 4])
        bytes += [14 << 3 | 2] + [UInt8(field(1, Array("input_size".utf8)).count + field(2, Array(inputSize.utf8)).count)]
        bytes += field(1, Array("input_size".utf8)) + field(2, Array(inputSize.utf8))
        return bytes
    }

    @Test func readsMetadataProperties() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("m.onnx")
        try Data(model(inputSize: "104")).write(to: url)
        #expect(ONNXMetadata.properties(at: url) == ["input_size": "104"])
        try Data("not protobuf at all".utf8).write(to: url)
        #expect(ONNXMetadata.properties(at: url).isEmpty)
    }

    @Test func settingsForAnotherInputSizeAreRefused() throws {
        let dir = try TemporaryDirectory()
        try Data(model(inputSize: "104")).write(to: dir.url.appendingPathComponent("face_mood.onnx"))
        _ = try dir.write("face_mood.json", #"{"input_size": 112}"#)
        do {
            _ = try FaceMoodReader(environment: MoosicEnvironment(home: dir.url, modelsDirectory: dir.url))
            Issue.record("mismatched settings accepted")
        } catch let error as MoosicError {
            #expect(error == .configuration("\(dir.url.path)/face_mood.json says input_size 112 but \(dir.url.path)/face_mood.onnx was exported for 104"))
        }
    }
}
