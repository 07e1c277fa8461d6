import Foundation

/// The mood of several camera frames taken over a moment, so that one blink or one odd frame
/// does not decide: the median of the frames with a face. The reading is called unsure when the
/// median is near the middle, when fewer than half of the frames show a face, or when the frames
/// disagree (their scores spread over more than `maxSpread`).
public struct FrameMood: Sendable, Equatable {
    public var score: Double
    /// The frame whose score is nearest the median: its face box is the one to show.
    public var frame: Int
    public var face: FaceBox?
    public var framesWithFace: Int
    public var frames: Int
    /// Highest minus lowest score among the frames with a face.
    public var spread: Double
    public var unsure: Bool

    /// |score − 0.5| below this is unsure.
    public static let unsureMargin = 0.1
    public static let maxSpread = 0.4

    /// nil when no frame shows a face.
    public static func combine(_ readings: [PhotoMood?]) -> FrameMood? {
        let faces = readings.enumerated().compactMap { index, reading in reading.map { (index, $0) } }
        guard !faces.isEmpty else { return nil }
        let sorted = faces.map(\.1.score).sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let nearest = faces.min { abs($0.1.score - median) < abs($1.1.score - median) }!
        let spread = sorted.last! - sorted.first!
        let unsure = abs(median - 0.5) < unsureMargin || faces.count * 2 < readings.count || spread > maxSpread
        return FrameMood(score: median, frame: nearest.0, face: nearest.1.face, framesWithFace: faces.count,
                         frames: readings.count, spread: spread, unsure: unsure)
    }

    /// As a photo mood, for the pipeline (`MoodInput.measured`).
    public var photoMood: PhotoMood {
        PhotoMood(score: score, facesFound: framesWithFace > 0 ? 1 : 0, face: face, milliseconds: 0)
    }
}
