/// The word for a mood score (P(happy)): happy from 0.5 up, else sad.
public enum MoodLabel: String, Sendable, Encodable {
    case happy, sad

    public init(score: Double) {
        self = score >= 0.5 ? .happy : .sad
    }
}
