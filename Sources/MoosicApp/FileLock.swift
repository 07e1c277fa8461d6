import Foundation
import MoosicCore
import MoosicML
import MoosicStore
import MoosicSpotify
import MoosicVision

/// An exclusive, non-blocking lock on a file (flock): held until released or the process ends,
/// so a crashed run never leaves a stale lock behind.
public final class FileLock {
    private let descriptor: Int32

    /// Takes the lock or throws `temporary(busyMessage)` at once when another process holds it.
    public init(path: String, busyMessage: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw MoosicError.internalFailure("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            close(descriptor)
            throw busy ? MoosicError.temporary(busyMessage)
                       : MoosicError.internalFailure("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
