import Audit
import Foundation
import Policy
import ServiceLifecycle
import Synchronization
import Workflows

/// The policy's webhooks for what the server decides: an alert or block raised by a request or a job is queued in
/// the data folder's outbox (written before anything is sent, so a crash loses no event) after its audit record is
/// durable, and a delivery thread of its own POSTs it — never a request's thread, which would wait on a slow
/// receiver. Bodies are ``PolicyEvent``s: ids, types, counts and offsets, never values. What cannot be delivered
/// stays queued and is tried again every ``retryInterval`` (and by `medlocal webhooks retry`). Targets are only
/// those the policy loader accepted (loopback, or hosts the policy allow-lists).
final class ServerWebhooks: Service, Sendable {
    static let retryInterval: TimeInterval = 30

    let outbox: WebhookOutbox
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)

    init(dataDirectory: String) {
        outbox = WebhookOutbox(dataDirectory: dataDirectory)
    }

    /// Queues the events of a decision whose audit record `event` is durable, for the webhooks of the policy that made it.
    func raise(_ decision: Decision, recorded event: AuditEvent, under processing: TextProcessing) throws {
        try raise(decision, operation: event.operation, itemDigest: event.itemDigest, targets: processing.enforcement.policy.webhooks)
    }

    /// Queues the events `decision` raises for `targets` and wakes the delivery thread; nothing when it raises none.
    /// A queueing failure is the caller's error (a request's 500, a job's retry), never silently dropped.
    func raise(_ decision: Decision, operation: String, itemDigest: String?, targets: [WebhookTarget]) throws {
        guard !targets.isEmpty, decision.blocks || !decision.alerts.isEmpty else { return }
        for event in PolicyEvent.events(for: decision, operation: operation, itemDigest: itemDigest) {
            try outbox.enqueue(event, targets: targets)
        }
        wake.signal()
    }

    /// Delivers on a thread of its own until the server shuts down; what an earlier run left queued goes first.
    func run() async throws {
        let thread = Thread { [self] in
            while !stopped.withLock({ $0 }) {
                outbox.deliverPending()
                _ = wake.wait(timeout: .now() + Self.retryInterval)
            }
        }
        thread.name = "medlocal.webhooks"
        thread.start()
        try? await gracefulShutdown()
        stopped.withLock { $0 = true }
        wake.signal()
    }
}
