import Foundation
import Testing
@testable import MoosicCore

@Suite struct MoodHistoryTests {
    func run(_ at: Date, _ mood: Double, source: String = "photo") -> PlaylistRun {
        PlaylistRun(user: "u", madeAt: at, mood: mood, moodSource: source, strategy: .lift, trackCount: 30,
                    playlistID: "p", playlistName: "moosic: your mood mix", playlistURL: nil, coverPath: nil)
    }

    @Test func aRunFromAPhotoAndItsMoodAreOnePointAndDryRunsAndStoredMoodRunsStayApart() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let t1 = t0.addingTimeInterval(3600), t2 = t0.addingTimeInterval(7200)
        let entries = MoodHistoryEntry.merge(moods: [(t0, 0.9), (t1, 0.2)], runs: [run(t0, 0.9), run(t2, 0.2, source: "history")])
        #expect(entries.map(\.mood) == [0.9, 0.2, 0.2])
        #expect(entries.map { $0.playlist != nil } == [true, false, true])
        #expect(entries.map(\.source) == ["photo", "photo", "history"])
    }

    @Test func aMoodWithAnotherScoreAtTheSameTimeIsNotTheRunsMood() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let entries = MoodHistoryEntry.merge(moods: [(t0, 0.3)], runs: [run(t0, 0.9)])
        #expect(entries.count == 2)
        #expect(entries.filter { $0.playlist != nil }.map(\.mood) == [0.9])
    }

    @Test func sparklineUsesAFixedScale() {
        #expect(Sparkline.render([0, 0.5, 1, 0.99, -3, .nan]) == "▁▅██▁▁")
        #expect(Sparkline.render([]) == "")
    }
}
