import Audit
import Dispatch
import Synchronization

/// Group commit for the audit chain: a request's response waits until its record is durable, yet concurrent
/// requests share one append (one transaction, one fsync). Records queue into the log; one flush at a time runs
/// on its own thread and wakes every request whose record it took.
final class AuditCommitter: Sendable {
    private struct State {
        var waiting: [CheckedContinuation<Void, any Error>] = []
        var flushing = false
    }

    let log: AuditLog
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "medlocal.audit-commit")

    /// - Parameter log: its group size should be large; this type decides when to flush.
    init(log: AuditLog) {
        self.log = log
    }

    /// Returns once `event` is appended to the chain and synced.
    func commit(_ event: AuditEvent) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startFlush: Bool
            do {
                // Queued and registered under one lock: a flush that takes this waiter has this event.
                startFlush = try state.withLock { state in
                    try log.record(event)
                    state.waiting.append(continuation)
                    guard !state.flushing else { return false }
                    state.flushing = true
                    return true
                }
            } catch {
                continuation.resume(throwing: error)
                return
            }
            if startFlush { queue.async { self.drain() } }
        }
    }

    /// Flushes until no request is waiting.
    private func drain() {
        while true {
            let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                let taken = state.waiting
                state.waiting.removeAll()
                if taken.isEmpty { state.flushing = false }
                return taken
            }
            if waiting.isEmpty { return }
            do {
                try log.flush()
                for continuation in waiting { continuation.resume() }
            } catch {
                for continuation in waiting { continuation.resume(throwing: error) }
            }
        }
    }

    /// Appends anything left and signs the chain head (on shutdown).
    func close() throws { try log.close() }
}
