import Dispatch
import Foundation

/// Runs numbered tasks on a few threads: each worker takes the next task number until none are
/// left, so a worker can set up its scratch buffers once for all the tasks it runs.
enum WorkerPool {
    /// Every core of the machine, the default thread count.
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Calls `worker` on `workers` threads at once; each call pulls task numbers (0..<tasks, each
    /// once in all) from the function it is given, until that returns nil.
    static func run(tasks: Int, workers: Int, _ worker: @Sendable (_ nextTask: () -> Int?) -> Void) {
        let counter = TaskCounter(limit: tasks)
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            worker { counter.take() }
        }
    }
}

/// Hands out 0, 1, 2, … below a limit to worker threads.
private final class TaskCounter: @unchecked Sendable {
    private let limit: Int
    private var value = 0
    private let lock = NSLock()

    init(limit: Int) {
        self.limit = limit
    }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
