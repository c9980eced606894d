public import Anonymization
public import Core
import Foundation
public import Policy

/// What a command run under a policy leaves behind: one audit record per decided item, alert and block events
/// queued for the policy's webhooks, and at the end the chain's signed checkpoint and a delivery attempt.
public final class PolicyRecorder: Sendable {
    public struct Summary: Sendable {
        public var items: Int
        public var alerts: Int
        public var blocks: Int
        public var webhooksDelivered: Int
        public var webhooksPending: Int
    }

    public let policy: Policy
    public let operation: String
    private let trail: AuditTrail
    private let outbox: WebhookOutbox
    private let counts = Counts()

    public init(policy: Policy, location: AuditLocation, key: ProjectKey, actor: String, operation: String) throws {
        self.policy = policy
        self.operation = operation
        trail = try AuditTrail(location: location, key: key, actor: actor, operation: operation)
        outbox = WebhookOutbox(dataDirectory: location.dataDirectory)
    }

    /// Records one decided item: its audit record and, for alerts and blocks, webhook events.
    /// - Returns: the events raised.
    @discardableResult
    public func record(item: String?, input: String, output: String?, decision: Decision) throws -> [PolicyEvent] {
        try trail.record(item: item, input: input, output: output, decision: decision, findings: decision.findings)
        let events = PolicyEvent.events(for: decision, operation: operation, itemDigest: item.map(trail.digest))
        for event in events { try outbox.enqueue(event, targets: policy.webhooks) }
        counts.add(alerts: events.contains { $0.event == "alert" }, block: decision.blocks)
        return events
    }

    /// Signs the chain head and delivers what the outbox holds.
    public func finish() throws -> Summary {
        try trail.close()
        let delivery = outbox.deliverPending()
        let (items, alerts, blocks) = counts.values
        return Summary(items: items, alerts: alerts, blocks: blocks, webhooksDelivered: delivery.delivered, webhooksPending: delivery.pending)
    }
}

import Synchronization

private final class Counts: Sendable {
    private let state = Mutex((items: 0, alerts: 0, blocks: 0))
    func add(alerts: Bool, block: Bool) {
        state.withLock { $0.items += 1; if alerts { $0.alerts += 1 }; if block { $0.blocks += 1 } }
    }
    var values: (Int, Int, Int) { state.withLock { ($0.items, $0.alerts, $0.blocks) } }
}
