import Testing
@testable import MoosicCore

@Suite struct MoodLabelTests {
    @Test func happyFromOneHalfUp() {
        #expect(MoodLabel(score: 0.5) == .happy)
        #expect(MoodLabel(score: 0.94) == .happy)
        #expect(MoodLabel(score: 0.4999) == .sad)
        #expect(MoodLabel(score: 0) == .sad)
        #expect(MoodLabel(score: 1).rawValue == "happy")
    }
}
