import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var fields: [CSVReader.Field] = []
        var result: [[String]] = []
        while try reader.readRecord(into: &fields) { result.append(fields.map(reader.string)) }
        return result
    }

    @Test func plainQuotedAndEscapedFields() throws {
        let parsed = try records("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n")
        #expect(parsed == [["a", "b", "c"], ["1", "x, y", "say \"hi\""]])
    }

    @Test func crlfBlankLinesAndMissingFinalNewline() throws {
        #expect(try records("a,b\r\n\r\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test func emptyFieldsAreKept() throws {
        #expect(try records(",x,\n") == [["", "x", ""]])
    }

    @Test func newlineInsideQuotesCountsLines() throws {
        var reader = CSVReader(bytes: Array("h\n\"two\nlines\"\nlast\n".utf8))
        var fields: [CSVReader.Field] = []
        _ = try reader.readRecord(into: &fields)
        _ = try reader.readRecord(into: &fields)
        #expect(reader.string(fields[0]) == "two\nlines")
        #expect(reader.line == 2)
        _ = try reader.readRecord(into: &fields)
        #expect(reader.line == 4)
    }

    @Test func unterminatedQuoteIsAnError() {
        #expect(throws: CSVReader.Problem.unterminatedQuote(line: 2)) { try records("a\n\"open,b\n") }
    }

    @Test func numbersParseStrictly() throws {
        var reader = CSVReader(bytes: Array("1.5,-2e-3,abc, 3,0x10,inf,42,-7,4.0".utf8))
        var f: [CSVReader.Field] = []
        _ = try reader.readRecord(into: &f)
        #expect(reader.double(f[0]) == 1.5)
        #expect(reader.double(f[1]) == -0.002)
        #expect(reader.double(f[2]) == nil)
        #expect(reader.double(f[3]) == nil)
        #expect(reader.double(f[4]) == nil)
        #expect(reader.double(f[5]) == nil)
        #expect(reader.integer(f[6]) == 42)
        #expect(reader.integer(f[7]) == -7)
        #expect(reader.integer(f[8]) == nil)
    }
}
