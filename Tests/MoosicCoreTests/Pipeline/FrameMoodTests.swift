import Testing
@testable import MoosicCore

@Suite struct FrameMoodTests {
    func face(_ score: Double, x: Int = 0) -> PhotoMood {
        PhotoMood(score: score, facesFound: 1, face: FaceBox(x: x, y: 0, w: 10, h: 10), milliseconds: 1)
    }

    @Test func aBlinkDoesNotDecide() throws {
        let mood = try #require(FrameMood.combine([face(0.9, x: 1), face(0.92, x: 2), face(0.1, x: 3), face(0.88, x: 4), face(0.91, x: 5)]))
        #expect(mood.score == 0.9)
        #expect(mood.frame == 0 && mood.face?.x == 1)
        #expect(mood.framesWithFace == 5 && mood.frames == 5)
        // One frame far off makes the frames disagree: the reading says so.
        #expect(mood.unsure && abs(mood.spread - 0.82) < 1e-9)
        let steady = try #require(FrameMood.combine([face(0.9), face(0.85), face(0.8), face(0.95)]))
        #expect(abs(steady.score - 0.875) < 1e-9 && !steady.unsure)
    }

    @Test func nearTheMiddleOrMostlyWithoutAFaceIsUnsureAndNoFaceIsNil() throws {
        #expect(try #require(FrameMood.combine([face(0.55), face(0.52), face(0.58)])).unsure)
        let few = try #require(FrameMood.combine([face(0.9), nil, nil]))
        #expect(few.unsure && few.score == 0.9 && few.framesWithFace == 1)
        #expect(FrameMood.combine([nil, nil]) == nil)
        #expect(FrameMood.combine([]) == nil)
    }
}
