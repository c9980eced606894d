import Audit
import Dispatch
import Synchronization

/// Group commit for the audit chain: a request's response waits until its record is durable, yet concurrent
/// requests share one append (one transaction, one fsync). Requests only queue their record under a brief lock;
/// one drain at a time, on its own thread, hands the queued records to the log, appends them and wakes every
/// request whose record it took — so no request thread ever waits on the disk.
final class AuditCommitter: Sendable {
    private struct State {
        var pending: [(event: AuditEvent, waiter: CheckedContinuation<Void, any Error>)] = []
        var draining = false
    }

    let log: AuditLog
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "medlocal.audit-commit")

    /// - Parameter log: its group size should be large; this type decides when to append.
    init(log: AuditLog) {
        self.log = log
    }

    /// Returns once `event` is appended to the chain and synced.
    func commit(_ event: AuditEvent) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let startDrain = state.withLock { state in
                state.pending.append((event, waiter))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { queue.async { self.drain() } }
        }
    }

    /// Appends until nothing is queued.
    private func drain() {
        while true {
            let batch = state.withLock { state in
                defer { state.pending.removeAll(keepingCapacity: true) }
                if state.pending.isEmpty { state.draining = false }
                return state.pending
            }
            if batch.isEmpty { return }
            do {
                for item in batch { try log.record(item.event) }
                try log.flush()
                for item in batch { item.waiter.resume() }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }

    /// Appends anything left and signs the chain head (on shutdown).
    func close() throws { try log.close() }
}
