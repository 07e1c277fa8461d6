import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct CatalogCSVTests {
    func parse(_ lines: [String]) throws -> CatalogCSV.Contents {
        try CatalogCSV.parse(bytes: Array(([catalogHeader] + lines).joined(separator: "\n").utf8), name: "t.csv")
    }

    @Test func validRowIsRead() throws {
        let contents = try parse([catalogLine()])
        #expect(contents.problems.isEmpty)
        let row = try #require(contents.rows.first)
        #expect(row.track.id == "5SuOikwiRyPMVoIQDJUgSV")
        #expect(row.track.features.valence == 0.715)
        #expect(row.track.features.instrumentalness == 1.01e-06)
        #expect(row.track.explicit == false)
        #expect(row.genre == "acoustic")
        #expect(row.line == 2)
    }

    /// Each rule, one bad value at a time: the row is refused and the problem names line and column.
    @Test(arguments: [
        ("track_id", "short"), ("track_id", "5SuOikwiRyPMVoIQDJUgS!"), ("artists", ""), ("track_name", " "),
        ("track_genre", ""), ("danceability", "1.2"), ("energy", "-0.1"), ("speechiness", "2"),
        ("acousticness", "1.0001"), ("instrumentalness", "-1"), ("liveness", "7"), ("valence", "1.5"),
        ("loudness", "-61"), ("loudness", "5.5"), ("tempo", "-1"), ("key", "12"), ("key", "-2"), ("key", "1.5"),
        ("mode", "2"), ("time_signature", "8"), ("time_signature", "-1"), ("popularity", "101"),
        ("duration_ms", "-5"), ("explicit", "maybe"), ("valence", "high"), ("tempo", ""), ("energy", "nan"),
    ])
    func eachRuleRefusesItsBadValue(column: String, value: String) throws {
        let contents = try parse([catalogLine(), catalogLine(id: "4qPNDBW1i3p13qLCt0Ki3A", [column: value])])
        #expect(contents.rows.count == 1)
        #expect(contents.invalidRows == 1)
        let problem = try #require(contents.problems.first)
        #expect(problem.line == 3)
        #expect(problem.column == column)
    }

    @Test(arguments: [("key", "-1"), ("loudness", "-60"), ("loudness", "5"), ("valence", "0"), ("valence", "1"),
                      ("time_signature", "0"), ("time_signature", "7"), ("tempo", "0"), ("explicit", "True")])
    func boundaryValuesAreAccepted(column: String, value: String) throws {
        let contents = try parse([catalogLine([column: value])])
        #expect(contents.problems.isEmpty)
    }

    @Test func missingColumnIsRefusedWholesale() throws {
        let header = catalogHeader.replacingOccurrences(of: ",valence", with: "")
        #expect(throws: MoosicError.invalidData("t.csv, line 1: missing column(s) valence")) {
            try CatalogCSV.parse(bytes: Array((header + "\n").utf8), name: "t.csv")
        }
    }

    @Test func emptyFileIsRefused() {
        #expect(throws: MoosicError.invalidData("t.csv is empty: expected a header line with \(CatalogCSV.requiredColumns.joined(separator: ","))")) {
            try CatalogCSV.parse(bytes: [], name: "t.csv")
        }
    }

    @Test func wrongFieldCountIsAProblemOfItsLine() throws {
        let contents = try parse([catalogLine(), "a,b,c"])
        #expect(contents.invalidRows == 1)
        #expect(contents.problems.first?.line == 3)
    }

    @Test func columnsAreFoundByNameAndExtraColumnsIgnored() throws {
        let header = "extra," + catalogHeader
        let text = header + "\nzzz," + catalogLine()
        let contents = try CatalogCSV.parse(bytes: Array(text.utf8), name: "t.csv")
        #expect(contents.rows.first?.track.name == "Comedy")
    }

    @Test func matchKeyIgnoresVersionsCaseAndFeaturedArtists() {
        #expect(TrackMatchKey.make(artists: "Boyce Avenue;Jennel Garcia", name: "Demons (Acoustic)")
                == TrackMatchKey.make(artists: "boyce avenue", name: "DEMONS - Live at Home"))
        #expect(TrackMatchKey.make(artists: "A", name: "Song") != TrackMatchKey.make(artists: "B", name: "Song"))
    }
}
