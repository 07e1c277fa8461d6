import Foundation
import Testing
import TestSupport
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

/// End-to-end `moosic mood` and `moosic eval mood` with the real model in Models/: the contract's
/// JSON, exit codes and one-line errors, for good photos and for each kind of bad input.
@Suite struct MoodCLITests {
    let home: URL
    let cli: CLIRunner
    static let photos = CLIRunner.repositoryRoot.appendingPathComponent("Fixtures/photos")

    init() throws {
        cli = try CLIRunner()
        home = cli.home
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    struct Mood: Decodable {
        struct Face: Decodable { var x, y, w, h: Int }
        var score: Double
        var label: String
        var band: String
        var faces_found: Int
        var face: Face?
        var ms: Double
    }

    func mood(_ photo: String, _ extra: [String] = []) throws -> Mood {
        let result = try cli.run(["mood", "--photo", photo, "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        return try JSONDecoder().decode(Mood.self, from: Data(result.stdout.utf8))
    }

    /// One line `moosic: error: …` on stderr, nothing of OpenCV's, the expected exit code.
    func expectError(_ result: CLIRunner.Result, code: Int32, containing text: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == code, "\(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("moosic: error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        for foreign in ["OpenCV(", "cv::", "[ WARN", "[ERROR", "libprotobuf", "libpng", "Corrupt JPEG"] {
            #expect(!result.stderr.contains(foreign), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    func scratch(_ name: String, _ data: Data) throws -> String {
        let url = home.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    @Test func happyAndSadFixturesAsJSON() throws {
        let happy = try mood("Fixtures/photos/happy-1.jpg")
        #expect(happy.score > 0.5)
        #expect(happy.label == "happy")
        #expect(happy.band == MoodBand(score: happy.score).rawValue)
        #expect(happy.faces_found == 1)
        let face = try #require(happy.face)
        #expect(face.w > 100 && face.x >= 0 && face.y >= 0 && face.x + face.w <= 350)
        let sad = try mood("Fixtures/photos/sad-1.jpg")
        #expect(sad.score < 0.5)
        #expect(sad.label == "sad")
        #expect(sad.band == MoodBand(score: sad.score).rawValue)
    }

    /// The score is P(happy) + ½ P(neutral): a straight face lands in the middle band, not on the sad end
    /// (the old happy-vs-sad network gave neutral faces a median 0.11), and the three fixtures keep their order.
    @Test func aNeutralFaceScoresInTheMiddleBand() throws {
        let neutral = try mood("Fixtures/photos/neutral-1.jpg")
        #expect(neutral.band == "neutral", "score \(neutral.score)")
        #expect((MoodBand.neutralFrom..<MoodBand.happyFrom).contains(neutral.score))
        let happy = try mood("Fixtures/photos/happy-1.jpg")
        let sad = try mood("Fixtures/photos/sad-1.jpg")
        #expect(sad.score < neutral.score && neutral.score < happy.score)
        #expect(sad.band == "sad" && happy.band == "happy")
    }

    @Test func twoFacesUseTheLargerLeftOne() throws {
        let result = try mood("Fixtures/photos/two-faces.jpg")
        #expect(result.faces_found == 2)
        // happy-1 pasted at (80, 80) at 260 px; sad-1 at (450, 115) at 190 px.
        let face = try #require(result.face)
        #expect(face.x + face.w < 360)
        #expect(face.w > 150)
    }

    @Test func humanTextAndAnnotatedCopy() throws {
        let out = home.appendingPathComponent("annotated.png").path
        let result = try cli.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg", "--annotate", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("happy (happy band): score = "))
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(written.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The annotated copy is itself a photo with the same face in it.
        #expect(try mood(out).faces_found == 1)
    }

    @Test func annotationPathMustBeJPEGOrPNGInAWritableFolder() throws {
        expectError(try cli.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg", "--annotate", "out.gif"]),
                    code: 64, containing: ".jpg, .jpeg or .png")
        expectError(try cli.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg", "--annotate", "/nonexistent/out.jpg"]),
                    code: 64, containing: "cannot write the annotated photo")
    }

    @Test func noFaceExits65() throws {
        expectError(try cli.run(["mood", "--photo", "Fixtures/photos/no-face.jpg"]),
                    code: 65, containing: "no face found in Fixtures/photos/no-face.jpg")
    }

    @Test func missingPhotoExits66() throws {
        expectError(try cli.run(["mood", "--photo", "/nonexistent/face.jpg"]), code: 66, containing: "/nonexistent/face.jpg")
    }

    @Test func emptyTruncatedAndTextFilesExit65() throws {
        let jpeg = try Data(contentsOf: Self.photos.appendingPathComponent("happy-1.jpg"))
        let cases: [(String, Data, String)] = [
            ("empty.jpg", Data(), "0 bytes"),
            ("cut.jpg", jpeg.prefix(jpeg.count / 2), "truncated JPEG"),
            ("notes.jpg", Data("these are not pixels\n".utf8), "not an image"),
        ]
        for (name, data, text) in cases {
            expectError(try cli.run(["mood", "--photo", try scratch(name, data)]), code: 65, containing: text)
        }
    }

    @Test func hugePNGIsRefused() throws {
        let path = try scratch("huge.png", BlankPNG.data(width: 20000, height: 20000))
        expectError(try cli.run(["mood", "--photo", path]), code: 65, containing: "20000x20000")
    }

    @Test func directoryIsNotAPhoto() throws {
        expectError(try cli.run(["mood", "--photo", home.path]), code: 65, containing: "is a directory")
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let path = home.appendingPathComponent("pipe.jpg").path
        #expect(mkfifo(path, 0o600) == 0)
        expectError(try cli.run(["mood", "--photo", path]), code: 65, containing: "not a regular file")
    }

    // As root, mode 000 does not stop reading, so there is nothing to refuse.
    @Test(.enabled(if: getuid() != 0, "root reads files whatever their mode"))
    func unreadableFileExits65() throws {
        let path = try scratch("locked.jpg", try Data(contentsOf: Self.photos.appendingPathComponent("happy-1.jpg")))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        expectError(try cli.run(["mood", "--photo", path]), code: 65, containing: "Permission denied")
    }

    @Test func corruptModelExits78() throws {
        let models = home.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLIRunner.repositoryRoot.appendingPathComponent("Models/face_mood.json"),
                                         to: models.appendingPathComponent("face_mood.json"))
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
            .write(to: models.appendingPathComponent("face_mood.onnx"))
        let result = try cli.run(["mood", "--photo", "Fixtures/photos/happy-1.jpg"], environment: ["MOOSIC_MODELS": models.path])
        expectError(result, code: 78, containing: "not an ONNX model")
    }

    @Test func evalMoodOverHappyAndSadFolders() throws {
        let dir = home.appendingPathComponent("eval")
        let fm = FileManager.default
        for (folder, names) in [("happy", ["happy-1.jpg", "happy-2.jpg"]), ("sad", ["sad-1.jpg", "sad-2.jpg", "no-face.jpg"]),
                                ("neutral", ["neutral-1.jpg"])] {
            try fm.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
            for name in names {
                try fm.createSymbolicLink(at: dir.appendingPathComponent(folder).appendingPathComponent(name),
                                          withDestinationURL: Self.photos.appendingPathComponent(name))
            }
        }
        let result = try cli.run(["eval", "mood", "--dir", dir.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Bands: Decodable { var happy: Double?; var neutral: Double?; var sad: Double?; var mean: Double? }
        struct Confusion: Decodable { var counts: [[Int]] }
        struct Report: Decodable {
            var n: Int; var no_face: Int; var accuracy: Double?; var auc: Double?; var ece: Double?
            var ece_happy_vs_sad: Double?; var band_accuracy: Bands; var confusion: Confusion
            var neutral_median: Double?; var sources: [String: Int]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.n == 6)
        #expect(report.no_face == 1)
        let accuracy = try #require(report.accuracy)
        #expect((0...1).contains(accuracy))
        #expect(report.auc != nil && report.ece != nil)
        // The shipped model gives its probabilities, so the happy-against-sad calibration is measured.
        #expect(report.ece_happy_vs_sad != nil)
        // Five faces found: two happy, two sad, one neutral, each counted once in its class's row.
        #expect(report.confusion.counts.map { $0.reduce(0, +) } == [2, 1, 2])
        #expect(report.band_accuracy.sad != nil && report.band_accuracy.neutral != nil && report.band_accuracy.happy != nil)
        #expect(report.neutral_median != nil)
        #expect(report.sources.isEmpty)
    }

    @Test func evalMoodPerSourceFromALabelsFile() throws {
        let csv = home.appendingPathComponent("labels.csv")
        try """
            file,label,source
            \(Self.photos.path)/happy-1.jpg,happy,studio
            \(Self.photos.path)/sad-1.jpg,sad,studio
            \(Self.photos.path)/neutral-1.jpg,neutral,news

            """.write(to: csv, atomically: true, encoding: .utf8)
        let result = try cli.run(["eval", "mood", "--labels", csv.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Figures: Decodable { var n: Int }
        struct Report: Decodable { var n: Int; var sources: [String: Figures] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.n == 3)
        #expect(report.sources.mapValues(\.n) == ["studio": 2, "news": 1])

        try "file,label\nx.jpg,angry\n".write(to: csv, atomically: true, encoding: .utf8)
        expectError(try cli.run(["eval", "mood", "--labels", csv.path]), code: 65, containing: "line 2: label \"angry\" is not happy, neutral or sad")
        expectError(try cli.run(["eval", "mood", "--labels", csv.path, "--dir", home.path]), code: 64, containing: "either --dir or --labels")
    }

    @Test func evalMoodNeedsClassFolders() throws {
        expectError(try cli.run(["eval", "mood", "--dir", home.path]), code: 65, containing: "has no happy/, neutral/ or sad/ folder")
        expectError(try cli.run(["eval", "mood", "--dir", "/nonexistent/photos"]), code: 66, containing: "/nonexistent/photos")
    }
}
