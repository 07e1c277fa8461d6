import Foundation
import Testing
import TestSupport
@testable import MoosicCore
import MoosicIO
@testable import MoosicApp

/// Where the shipped data is looked for: found from the executable, never from the sources' paths.
@Suite struct MoosicEnvironmentTests {
    @Test func anInstalledBinaryLooksInShareMoosicBesideIt() {
        let places = DataPlace.searchOrder(dataRoot: nil, executable: URL(fileURLWithPath: "/opt/moosic/bin/moosic"))
        #expect(places == [DataPlace(root: URL(fileURLWithPath: "/opt/moosic/share/moosic", isDirectory: true), origin: "beside the executable")])
    }

    @Test func aDevelopmentBuildAlsoLooksInThePackageItsBuildFolderIsIn() throws {
        let dir = try TemporaryDirectory()
        let package = dir.url.appendingPathComponent("pkg")
        let bin = package.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let executable = bin.appendingPathComponent("moosic")
        // Without a Package.swift beside it, a .build folder is no source tree.
        #expect(DataPlace.searchOrder(dataRoot: nil, executable: executable).map(\.origin) == ["beside the executable"])
        _ = try dir.write("pkg/Package.swift", "// swift-tools-version:6.1\n")
        let places = DataPlace.searchOrder(dataRoot: nil, executable: executable)
        #expect(places.map(\.root.path) == [bin.deletingLastPathComponent().appendingPathComponent("share/moosic").path, package.path])
        #expect(places.map(\.origin) == ["beside the executable", "the source tree of this build"])
    }

    @Test func moosicDataIsTheOnlyPlaceWhenSet() {
        let places = MoosicEnvironment.resolve(["HOME": "/h", "MOOSIC_DATA": "/d"]).dataPlaces
        #expect(places == [DataPlace(root: URL(fileURLWithPath: "/d", isDirectory: true), origin: "MOOSIC_DATA")])
    }

    @Test func theFirstPlaceWithTheFolderIsUsed() throws {
        let dir = try TemporaryDirectory()
        let first = dir.url.appendingPathComponent("first"), second = dir.url.appendingPathComponent("second")
        for folder in ["first/Fixtures", "second/Models", "second/Fixtures"] {
            try FileManager.default.createDirectory(at: dir.url.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let environment = MoosicEnvironment(home: dir.url, dataPlaces: [DataPlace(root: first, origin: "a"), DataPlace(root: second, origin: "b")])
        #expect(try environment.fixturesDirectory().path == first.appendingPathComponent("Fixtures").path)
        #expect(try environment.shippedModelsDirectory().path == second.appendingPathComponent("Models").path)
        // MOOSIC_MODELS wins over the shipped models.
        var explicit = environment
        explicit.modelsDirectory = first
        #expect(try explicit.modelsFolder() == first)
    }

    @Test func findingNothingNamesEveryPlaceLookedIn() throws {
        let dir = try TemporaryDirectory()
        let a = dir.url.appendingPathComponent("a"), b = dir.url.appendingPathComponent("b")
        let environment = MoosicEnvironment(home: dir.url, dataPlaces: [DataPlace(root: a, origin: "beside the executable"),
                                                                       DataPlace(root: b, origin: "the source tree of this build")])
        #expect(throws: MoosicError.configuration("no Models folder found; looked in \(a.path)/Models (beside the executable), \(b.path)/Models (the source tree of this build) (set MOOSIC_MODELS to the folder that holds the models)")) {
            try environment.modelURL("song_emotion.json")
        }
        #expect(throws: MoosicError.configuration("no Fixtures folder found; looked in \(a.path)/Fixtures (beside the executable), \(b.path)/Fixtures (the source tree of this build) (set MOOSIC_DATA to the folder that holds Fixtures/)")) {
            try environment.fixturesDirectory()
        }
    }

    @Test func theTestsFindTheRepositoryFromTheirOwnExecutable() throws {
        #expect(try MoosicEnvironment.resolve([:]).shippedModelsDirectory().path == repositoryRoot.appendingPathComponent("Models").path)
    }
}
