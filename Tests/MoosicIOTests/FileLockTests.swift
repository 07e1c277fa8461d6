import Foundation
import Testing
import TestSupport
import MoosicCore
import MoosicIO

@Suite struct FileLockTests {
    @Test func aHeldLockIsTemporaryAtOnceAndFreeOnceReleased() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("x.lock").path
        var holder: FileLock? = try FileLock(path: path, busyMessage: "held")
        #expect(throws: MoosicError.temporary("held")) { try FileLock(path: path, busyMessage: "held") }
        withExtendedLifetime(holder) {}
        holder = nil
        _ = try FileLock(path: path, busyMessage: "held")
    }

    @Test func aWaitingLockIsTakenWhenTheHolderLetsGo() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("x.lock").path
        var holder: FileLock? = try FileLock(path: path, busyMessage: "held")
        let released = Date().addingTimeInterval(0.3)
        // The waiter blocks in flock: on a thread of its own, not one of the few that run the tests.
        let waiter = Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Date, Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try withExtendedLifetime(try FileLock(waitingFor: path)) { Date() } })
                }
            }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        withExtendedLifetime(holder) {}
        holder = nil
        let taken = try await waiter.value
        #expect(taken >= released)
    }

    @Test func aLockFileThatCannotBeOpenedIsAnInternalFailure() {
        #expect(throws: MoosicError.internalFailure("cannot open the lock file /nonexistent/x.lock: No such file or directory")) {
            try FileLock(waitingFor: "/nonexistent/x.lock")
        }
    }
}
