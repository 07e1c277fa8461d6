import Foundation
import MoosicCore

/// What one backfill of a library's audio features did.
public struct FeatureBackfillReport: Sendable, Equatable, Codable {
    /// Library tracks that neither the catalog nor the cache has features for (misses younger than
    /// `FeatureBackfill.missRetryAge` left out): the ones to ask for.
    public var wanted = 0
    /// Tracks sent to the service in answered requests.
    public var asked = 0
    public var found = 0
    /// Asked for and absent from the answer: remembered as misses.
    public var missing = 0
    /// Items with a missing or out-of-range value: not stored, remembered as misses.
    public var rejected = 0
    /// Wanted but not asked for this run (the service failed or is turned off): asked next sync.
    public var notAsked = 0
    public var requests = 0
    public var notes: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case wanted, asked, found, missing, rejected, requests, notes
        case notAsked = "not_asked"
    }
}

/// Library sync followed by the audio features of the library tracks the catalog lacks, asked of
/// the features service (`FeaturesClient`) and cached in the store: every answer is stored, a miss
/// is remembered for `missRetryAge`, a known track is never asked for again, so a second sync of an
/// unchanged library sends no feature request. Best-effort: a service fault ends the backfill with
/// a note and the run goes on with what is known; only the store's own errors are thrown.
public struct FeatureBackfill: LibrarySyncing {
    /// How long the service's "unknown" is believed before the track is asked for again.
    public static let missRetryAge: TimeInterval = 30 * 24 * 3600

    public let library: any LibrarySyncing
    public let cache: any FeatureCacheRepository
    public let client: FeaturesClient
    private let now: @Sendable () -> Date

    public init(library: any LibrarySyncing, cache: any FeatureCacheRepository, client: FeaturesClient,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.library = library
        self.cache = cache
        self.client = client
        self.now = now
    }

    public func syncLibrary(user: String) async throws -> LibrarySyncSummary {
        var summary = try await library.syncLibrary(user: user)
        let report = try await backfill(user: user)
        summary.featureRequests = report.requests
        summary.notes += report.notes
        return summary
    }

    /// Asks for the features of `user`'s synced library tracks that are wanted, in batches.
    public func backfill(user: String) async throws -> FeatureBackfillReport {
        var report = FeatureBackfillReport()
        let time = now()
        var seen = Set<String>()
        // Only Spotify track ids are sent; a local file's or an odd id is never asked for.
        let wanted = try cache.tracksWantingFeatures(user: user, missesSince: time.addingTimeInterval(-Self.missRetryAge))
            .map(\.id).filter { CatalogCSV.isSpotifyID($0) && seen.insert($0).inserted }
        report.wanted = wanted.count
        guard client.configuration.baseURL != nil else {
            report.notAsked = wanted.count
            return report
        }
        let before = await client.requestCount
        let batch = client.configuration.batchSize
        var start = 0
        while start < wanted.count {
            let ids = Array(wanted[start..<min(start + batch, wanted.count)])
            let answer: FeaturesClient.Answer
            do {
                answer = try await client.features(ids: ids)
            } catch let error as MoosicError {
                report.notAsked = wanted.count - start
                report.notes.append("audio features: \(error.message); \(report.notAsked) of \(wanted.count) library tracks "
                    + "without features this run (asked again on the next sync)")
                break
            }
            try cache.recordFeatures(found: answer.found, missing: answer.missing + answer.rejected,
                                     source: client.configuration.sourceName, at: time)
            report.asked += ids.count
            report.found += answer.found.count
            report.missing += answer.missing.count
            report.rejected += answer.rejected.count
            start += ids.count
        }
        if report.rejected > 0 {
            report.notes.append("audio features: the features service sent \(report.rejected) item(s) with values outside the catalog's ranges; they were not stored")
        }
        report.requests = await client.requestCount - before
        return report
    }
}
