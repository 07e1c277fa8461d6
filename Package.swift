// swift-tools-version:6.1
import PackageDescription

// CVision links only the OpenCV modules it calls: linking all of opencv4's ~55 libraries
// (what `pkg-config --libs opencv4` would give) costs about 0.4 s at every process start.
// Not even opencv_imgcodecs: it pulls in gdal, gdcm, poppler and ~120 more libraries (~0.1 s of
// CPU at every start), so CVision decodes with the image libraries themselves.
let openCVModules = ["opencv_core", "opencv_imgproc", "opencv_objdetect", "opencv_dnn"]
let imageLibraries = ["jpeg", "png16", "webp", "tiff"]

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
    ],
    targets: [
        .target(
            name: "CVision",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: (openCVModules + imageLibraries).map { .linkedLibrary($0) }
        ),
        .target(
            name: "MoosicCore",
            dependencies: [
                "CVision",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // SHA-256 for the PKCE code challenge (S256).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "moosic",
            dependencies: [
                "MoosicCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CVisionTests", dependencies: ["CVision"]),
        // The loopback Spotify the Spotify tests run against (test support, not shipped).
        .target(
            name: "SpotifyEmulator",
            dependencies: ["MoosicCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/SpotifyEmulator"
        ),
        .testTarget(name: "MoosicCoreTests", dependencies: ["MoosicCore", "SpotifyEmulator"]),
        // Depends on the executable so that `swift test` builds the binary these tests run.
        .testTarget(name: "MoosicCLITests", dependencies: ["moosic", "SpotifyEmulator"]),
    ],
    cxxLanguageStandard: .cxx17
)
