import Foundation
import MoosicML

/// The mood of a run without a photo: the latest reading, pulled toward the listener's usual mood
/// as it ages. A reading says how the listener was when the photo was taken; the longer ago that
/// was, the less it says about tonight, and the best guess drifts back to how they usually are.
///
/// mood = usual + (reading − usual) · ½^(age / halfLife). The half-life is 48 hours: a photo of
/// this evening still leads tomorrow night's playlist (weight 0.71 after a day), a photo of last
/// week does not (0.09 after seven days). Read as a day-to-day persistence of 0.71 (an AR(1) view
/// of mood: tomorrow's distance from the usual mood is that share of today's); a design choice, not
/// fitted to listener data, which moosic does not have (docs/nightly.md).
public struct AgeingMood: Sendable, Equatable {
    public static let halfLife: TimeInterval = 48 * 3600
    /// Readings older than this say nothing more: the usual mood alone (with a note).
    public static let maxAge: TimeInterval = 7 * 24 * 3600
    /// The usual mood is the median of the listener's photo readings once there are this many;
    /// with fewer, moosic does not know what is usual for them and pulls toward neutral.
    public static let minimumReadings = 3
    public static let neutral = 0.5

    /// The mood this run uses.
    public var score: Double
    /// The reading it came from, and how old it is.
    public var reading: Double
    public var ageHours: Double
    /// What the reading is pulled toward, and whether it is the listener's own median (else neutral).
    public var usual: Double
    public var usualIsTheListeners: Bool
    /// How much of the reading is left: ½^(age / halfLife), 0 beyond maxAge.
    public var weight: Double

    /// - Parameters:
    ///   - latest: the latest photo reading and when it was taken.
    ///   - history: every photo reading of the listener (the latest among them).
    public init(latest: (score: Double, measuredAt: Date), history: [Double], now: Date) {
        let age = max(0, now.timeIntervalSince(latest.measuredAt))
        reading = latest.score
        ageHours = age / 3600
        if history.count >= Self.minimumReadings, let median = ListenerArousal.median(history) {
            usual = median
            usualIsTheListeners = true
        } else {
            usual = Self.neutral
            usualIsTheListeners = false
        }
        weight = age > Self.maxAge ? 0 : pow(0.5, age / Self.halfLife)
        score = min(max(usual + (reading - usual) * weight, 0), 1)
    }

    /// "2 days" / "5 hours": the reading's age for the mood line and the notes.
    public var ageText: String { Self.ageText(hours: ageHours) }

    public static func ageText(hours: Double) -> String {
        hours >= 36 ? "\(Int((hours / 24).rounded())) days" : "\(Int(hours.rounded())) hours"
    }

    /// What the usual mood is, in words.
    public var usualText: String {
        usualIsTheListeners ? "your usual mood \(String(format: "%.2f", usual))" : "neutral \(String(format: "%.2f", usual))"
    }
}
