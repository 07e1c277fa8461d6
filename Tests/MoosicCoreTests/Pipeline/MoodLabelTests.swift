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

    @Test func bandEdgesAreAThirdOfTheAxisAroundOneHalf() {
        #expect(MoodBand(score: 0) == .sad)
        #expect(MoodBand(score: 0.3499) == .sad)
        #expect(MoodBand(score: 0.35) == .neutral)
        #expect(MoodBand(score: 0.5) == .neutral)
        #expect(MoodBand(score: 0.6499) == .neutral)
        #expect(MoodBand(score: 0.65) == .happy)
        #expect(MoodBand(score: 1).rawValue == "happy")
        // A neutral band straddles the label's edge: 0.45 is labelled sad, 0.55 happy, both neutral.
        #expect(MoodLabel(score: 0.45) == .sad && MoodBand(score: 0.45) == .neutral)
        #expect(MoodLabel(score: 0.55) == .happy && MoodBand(score: 0.55) == .neutral)
    }
}
