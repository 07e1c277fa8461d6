/// The word for a mood score (P(happy) + ½ P(neutral)): happy from 0.5 up, else sad.
public enum MoodLabel: String, Sendable, Encodable {
    case happy, sad

    public init(score: Double) {
        self = score >= 0.5 ? .happy : .sad
    }
}

/// The band of the happy ↔ sad axis a mood score lies in, for the people who read it: a straight face
/// scores near ½ (the face-mood network's score is P(happy) + ½ P(neutral)), so the middle band is
/// called neutral. Edges: sad below 0.35, neutral from 0.35 to below 0.65, happy from 0.65 — the range
/// issue 14 asks neutral faces' median to fall in. `MoodLabel` keeps its one edge at 0.5.
public enum MoodBand: String, Sendable, Encodable, CaseIterable {
    case sad, neutral, happy

    public static let neutralFrom = 0.35
    public static let happyFrom = 0.65

    public init(score: Double) {
        self = score >= Self.happyFrom ? .happy : score >= Self.neutralFrom ? .neutral : .sad
    }
}
