import Foundation
import MoosicCore
import MoosicIO
import MoosicSpotify
import MoosicStore
import MoosicVision

/// What `moosic serve`'s page can do, whatever carries it (HTTP in MoosicServer): read the mood of
/// camera frames or an uploaded photo, preview and write the user's playlist through the same
/// StandardPipeline as the command line, the mood history, the latest cover, and the Spotify login.
/// One run at a time: runs queue one behind the other (an actor alone would let a second run in
/// while the first waits on Spotify), and a write holds the user's refresh lock, so the page and
/// the nightly refresh never write the playlist at once.
public actor PageBackend {
    public let installation: Installation
    public let environment: MoosicEnvironment
    public let offline: Bool
    /// The Spotify login's callback port (the redirect URI registered with the app).
    public let loginPort: UInt16
    public private(set) var user: String?
    private let reader: FaceMoodReader
    private var loginInProgress: Task<SpotifyTokens, Error>?
    /// The pipeline of the page's user, made once (its models loaded, the catalog's emotion scores
    /// brought in step) and kept while the user stays the same.
    private var pipeline: (user: String, pipeline: RecommendPipeline)?
    /// The last run queued: the next one starts when it has ended.
    private var lastRun: Task<Void, Never>?

    /// The most frames one reading takes.
    public static let maxFrames = 8

    public init(installation: Installation, user: String?, offline: Bool, loginPort: UInt16 = 8888) throws {
        self.installation = installation
        let environment = installation.environment
        self.environment = environment
        self.offline = offline
        self.loginPort = loginPort
        reader = try FaceMoodReader(environment: environment)
        if let user {
            self.user = user
        } else if offline {
            self.user = "moosicdemo"
        } else {
            // The one user logged in on this machine, if there is exactly one.
            let logins = try TokenStore(environment: environment).all()
            self.user = logins.count == 1 ? logins.keys.first : nil
        }
    }

    public struct Status: Sendable, Encodable {
        public var user: String?
        public var loggedIn: Bool
        public var offline: Bool
        public var canLogIn: Bool
        public var maxPhotoBytes: Int
        public var maxPhotoPixels: Int64
        public var maxFrames: Int
    }

    public func status() throws -> Status {
        let loggedIn = offline ? true : try user.map { try TokenStore(environment: environment).tokens(for: $0) != nil } ?? false
        let canLogIn = !offline && (try? installation.spotify.clientID) != nil
        return Status(user: user, loggedIn: loggedIn, offline: offline, canLogIn: canLogIn,
                      maxPhotoBytes: FaceMoodReader.maxPhotoBytes, maxPhotoPixels: FaceMoodReader.maxPhotoPixels,
                      maxFrames: Self.maxFrames)
    }

    /// The combined mood of `frames` (image files' bytes: camera frames or one uploaded photo).
    /// No face in any frame: `invalidData` (65) with the cause `noFace`. A frame over the byte or pixel
    /// limit: `invalidData` with the cause `photoTooLarge`.
    public func readMood(frames: [Data]) throws -> FrameMood {
        guard !frames.isEmpty, frames.count <= Self.maxFrames else {
            throw MoosicError.usage("send between 1 and \(Self.maxFrames) frames")
        }
        for frame in frames where frame.count > FaceMoodReader.maxPhotoBytes {
            throw MoosicError.invalidData("the photo is \(frame.count) bytes, more than the limit of \(FaceMoodReader.maxPhotoBytes)",
                                          cause: .photoTooLarge)
        }
        // The same reader as `moosic mood`, with its limits, over the bytes as they came (no file).
        let readings = try frames.enumerated().map { index, frame in
            try reader.readIfFace(photoBytes: frame, name: "frame \(index + 1)")?.mood
        }
        guard let combined = FrameMood.combine(readings) else {
            throw MoosicError.invalidData(frames.count == 1 ? "no face found in the photo" : "no face found in any of the \(frames.count) frames",
                                          cause: .noFace)
        }
        return combined
    }

    /// The playlist for `mood`: previewed (`write` false: nothing written, the mood not stored) or
    /// written to the user's one moosic playlist, the mood stored and the cover made.
    public func playlist(mood: FrameMood, options: RankingOptions, write: Bool) async throws -> Recommendation {
        guard let user else { throw MoosicError.notAuthorised("no Spotify login: log in first") }
        let previous = lastRun
        let run = Task { () async throws -> Recommendation in
            await previous?.value
            let pipeline = try self.pipeline(for: user)
            try environment.prepareHome()
            let lock = write ? try FileLock(path: NightlyRefresh.lockURL(user: user, environment: environment).path,
                                            busyMessage: "a refresh of \(user)'s playlist is running; try again in a moment") : nil
            defer { withExtendedLifetime(lock) {} }
            return try await pipeline.run(RecommendRequest(user: user, mood: .measured(mood.photoMood), options: options,
                                                           dryRun: !write))
        }
        lastRun = Task { _ = try? await run.value }
        return try await run.value
    }

    private func pipeline(for user: String) throws -> RecommendPipeline {
        if let kept = pipeline, kept.user == user { return kept.pipeline }
        let made = try StandardPipeline.make(installation: installation, user: user, offline: offline)
        pipeline = (user, made)
        return made
    }

    /// Makes the user's pipeline ahead of the first preview (loading the models takes seconds);
    /// an error here (no login yet) is met again, and reported, by the first preview.
    public func warmUp() {
        guard let user else { return }
        _ = try? pipeline(for: user)
    }

    public func history() throws -> MoodHistoryReport {
        guard let user else { return MoodHistoryReport(user: "", entries: []) }
        return try MoodHistoryReport.load(user: user, environment: environment)
    }

    /// The cover of the latest playlist written, when its file is still there.
    public func latestCover() throws -> URL? {
        guard let user, let path = try Store(environment: environment).playlistRuns(user: user).last?.coverPath else { return nil }
        return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    /// Starts the same PKCE login as `moosic auth login` (callback on 127.0.0.1:`loginPort`, the
    /// same token store) and answers the authorize URL for the browser to open; the login finishes
    /// in the background when Spotify redirects, and its user becomes the page's user.
    public func startLogin() async throws -> URL {
        guard !offline else { throw MoosicError.usage("the page runs --offline: there is no Spotify login to make") }
        loginInProgress?.cancel()
        let login = SpotifyLogin(configuration: try installation.spotify, environment: environment)
        let (urls, continuation) = AsyncStream<URL>.makeStream()
        let port = loginPort
        let task = Task { () throws -> SpotifyTokens in
            defer { continuation.finish() }
            return try await login.run(port: port) { continuation.yield($0) }
        }
        loginInProgress = task
        Task { [weak self] in
            if let tokens = try? await task.value { await self?.loggedIn(as: tokens.userID) }
        }
        for await url in urls { return url }
        // The login ended before it had a URL to show: its error says why (no client id, port taken).
        _ = try await task.value
        throw MoosicError.internalFailure("the login ended without an authorize URL")
    }

    private func loggedIn(as id: String) {
        user = id
        loginInProgress = nil
        warmUp()
    }
}
