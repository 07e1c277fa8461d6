import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MoosicCore

/// An exclusive lock on a file (flock): held until the value is released or the process ends, so
/// a crashed run never leaves a stale lock behind.
public final class FileLock {
    private let descriptor: Int32

    /// Takes the lock or throws `temporary(busyMessage)` at once when another process holds it.
    public convenience init(path: String, busyMessage: String) throws {
        try self.init(path: path, whenHeld: .fail(busyMessage: busyMessage))
    }

    /// Takes the lock, waiting for as long as another holder keeps it.
    public convenience init(waitingFor path: String) throws {
        try self.init(path: path, whenHeld: .wait)
    }

    private enum Contention {
        case fail(busyMessage: String)
        case wait
    }

    private init(path: String, whenHeld contention: Contention) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw MoosicError.internalFailure("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        let operation: Int32
        switch contention {
        case .fail: operation = LOCK_EX | LOCK_NB
        case .wait: operation = LOCK_EX
        }
        var result = flock(descriptor, operation)
        // A signal may interrupt the wait; it is not a failure to lock.
        while result != 0, errno == EINTR { result = flock(descriptor, operation) }
        guard result == 0 else {
            let failure = errno
            close(descriptor)
            if failure == EWOULDBLOCK, case .fail(let busyMessage) = contention { throw MoosicError.temporary(busyMessage) }
            throw MoosicError.internalFailure("cannot lock \(path): \(String(cString: strerror(failure)))")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
