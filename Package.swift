// swift-tools-version:6.1
import PackageDescription

// CVision links only the OpenCV modules it calls: linking all of opencv4's ~55 libraries
// (what `pkg-config --libs opencv4` would give) costs about 0.4 s at every process start.
// Not even opencv_imgcodecs: it pulls in gdal, gdcm, poppler and ~120 more libraries (~0.1 s of
// CPU at every start), so CVision decodes with the image libraries themselves.
let openCVModules = ["opencv_core", "opencv_imgproc", "opencv_objdetect", "opencv_dnn"]
let imageLibraries = ["jpeg", "png16", "webp", "tiff"]

// The layers, each a target so that the compiler keeps them apart (docs/design.md, "Layout"):
//   MoosicML      pure machine learning: no moosic types, no I/O but a model's bytes
//   MoosicCore    the domain: catalog rows, emotion and genre models, ranking, the pipeline and the
//                 narrow repository and stage protocols it runs on; no I/O; imports MoosicML only
//   MoosicIO      the operating system's side of Core's ports: HTTP over URLSession, files read a chunk
//                 at a time, model files, file locks, where state and data are (MoosicEnvironment) — so
//                 that MoosicCore itself does no I/O
//   MoosicStore   the SQLite store (GRDB): the only code that writes SQL
//   MoosicSpotify the Spotify Web API client (PKCE login, library sync, playlist writes)
//   MoosicVision  the face-mood reader over CVision (OpenCV)
//   MoosicFeatures the audio-features service client (ReccoBeats-compatible) and the library's
//                 feature backfill; stores through FeatureCacheRepository, never SQL
//   MoosicApp     the application layer: the installation (environment and settings, read once; the
//                 only reader of the process environment), the use cases the commands and the page
//                 call (reports back), the adapters wired into the pipeline, emotion scores in step
//                 with the model, the refresh run, error → exit code, evaluations
//   MoosicServer  `moosic serve`: the local web page over MoosicApp (Hummingbird, loopback only)
//   moosic        the command line over MoosicApp
let package = Package(
    name: "moosic",
    products: [
        .executable(name: "moosic", targets: ["moosic"]),
        .library(name: "MoosicCore", targets: ["MoosicCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `moosic serve`: the local web page (loopback only).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own NIO, named for the listening channel's port (`serve --port 0`).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The settings file (~/.config/moosic/config.toml): TOML read and written by toml++ (C++).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "MoosicML"),
        .target(name: "MoosicCore", dependencies: ["MoosicML"]),
        .target(name: "MoosicIO", dependencies: ["MoosicCore", "MoosicML"]),
        .target(
            name: "MoosicStore",
            dependencies: [
                "MoosicCore",
                "MoosicIO",
                "MoosicML",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "MoosicSpotify",
            dependencies: [
                "MoosicCore",
                "MoosicIO",
                // SHA-256 for the PKCE code challenge (S256).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CVision",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: (openCVModules + imageLibraries).map { .linkedLibrary($0) }
        ),
        .target(name: "MoosicVision", dependencies: ["MoosicCore", "MoosicIO", "CVision"]),
        .target(name: "MoosicFeatures", dependencies: ["MoosicCore", "MoosicIO"]),
        // Debian's liblzma, to read the shipped catalog (Models/spotify-tracks.csv.xz).
        .systemLibrary(name: "CLzma", path: "Sources/CLzma", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        // Debian's zlib, to read gzip-compressed catalogs (`catalog import tracks.csv.gz`).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "MoosicApp", dependencies: ["MoosicML", "MoosicCore", "MoosicIO", "MoosicStore", "MoosicSpotify", "MoosicVision",
                                                  "MoosicFeatures", "CLzma", "CZlib",
                                                  .product(name: "TOMLKit", package: "TOMLKit")]),
        // `moosic serve`: the local page over MoosicApp (HTTP adapter, Hummingbird 2, 127.0.0.1 only).
        // The page's files are embedded in the binary, not a resource bundle beside it, which the
        // installed moosic would lack (Sources/MoosicServer/PageAssets.swift says why).
        .target(
            name: "MoosicServer",
            dependencies: ["MoosicApp", "MoosicCore", "MoosicVision", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio")],
            resources: [.embedInCode("Resources/page.html"), .embedInCode("Resources/page.css"),
                        .embedInCode("Resources/page.js")]
        ),
        .executableTarget(
            name: "moosic",
            dependencies: [
                "MoosicApp",
                "MoosicIO",
                "MoosicServer",
                // The types MoosicApp hands out, imported by name.
                "MoosicCore", "MoosicML", "MoosicStore", "MoosicSpotify", "MoosicFeatures", "MoosicVision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The loopback Spotify the Spotify tests run against (test support, not shipped).
        .target(
            name: "SpotifyEmulator",
            dependencies: ["MoosicCore", "MoosicIO", "MoosicSpotify", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/SpotifyEmulator"
        ),
        // The loopback features service (ReccoBeats-compatible) the features tests run against.
        // It reuses MoosicSpotify's loopback HTTP server.
        .target(name: "FeaturesEmulator", dependencies: ["MoosicCore", "MoosicIO", "MoosicSpotify"], path: "Tests/FeaturesEmulator"),
        // The emulator as a process, for the browser tests (Scripts/browser-test.py).
        .executableTarget(name: "spotify-emulator", dependencies: ["SpotifyEmulator"], path: "Tests/SpotifyEmulatorServer"),
        // What the test suites share (the repository root, catalog rows, scratch folders).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // One test target per target, its folders mirroring the target's; each declares every module it imports.
        .testTarget(name: "CVisionTests", dependencies: ["CVision"]),
        .testTarget(name: "MoosicIOTests", dependencies: ["MoosicIO", "MoosicCore", "MoosicApp", "TestSupport"]),
        .testTarget(name: "MoosicMLTests", dependencies: ["MoosicML", "MoosicCore", "MoosicIO", "TestSupport"]),
        .testTarget(name: "MoosicCoreTests", dependencies: ["MoosicCore", "MoosicIO", "MoosicML", "MoosicStore", "MoosicSpotify", "MoosicVision",
                                                            "MoosicApp", "TestSupport"]),
        // The store's own tests check its pragmas and tables with SQL; no other suite may.
        .testTarget(name: "MoosicStoreTests", dependencies: [
            "MoosicStore", "MoosicCore", "MoosicIO", "MoosicML", "MoosicSpotify", "MoosicVision", "MoosicApp", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "MoosicSpotifyTests", dependencies: ["MoosicSpotify", "MoosicIO", "MoosicCore", "MoosicML", "MoosicStore", "MoosicVision",
                                                               "MoosicApp", "SpotifyEmulator", "TestSupport"]),
        .testTarget(name: "MoosicVisionTests", dependencies: ["MoosicVision", "CVision", "MoosicCore", "MoosicIO", "MoosicML", "MoosicStore", "MoosicSpotify",
                                                              "MoosicApp", "TestSupport"]),
        .testTarget(name: "MoosicFeaturesTests", dependencies: ["MoosicFeatures", "MoosicCore", "MoosicStore", "FeaturesEmulator",
                                                                "TestSupport"]),
        .testTarget(name: "MoosicAppTests", dependencies: ["MoosicApp", "MoosicIO", "MoosicCore", "MoosicML", "MoosicStore", "MoosicSpotify",
                                                           "MoosicVision", "TestSupport"]),
        .testTarget(name: "MoosicServerTests", dependencies: ["MoosicServer", "MoosicApp", "MoosicCore", "MoosicIO", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the binary these tests run.
        .testTarget(name: "MoosicCLITests", dependencies: ["moosic", "MoosicApp", "MoosicIO", "MoosicCore", "MoosicML", "MoosicStore", "MoosicSpotify",
                                                           "MoosicVision", "SpotifyEmulator", "FeaturesEmulator", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)

