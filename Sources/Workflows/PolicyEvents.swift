public import Core
public import Foundation
public import Policy

/// An alert or block event, as webhooks receive it: ids, time, policy, entity types with counts, and positions
/// — never a value, never a file name (the item appears as its keyed digest).
public struct PolicyEvent: Sendable, Codable, Equatable {
    public struct Position: Sendable, Codable, Equatable {
        public var type: String
        public var start: Int
        public var end: Int
    }

    public var eventID: String
    public var time: String
    /// `alert` or `block`.
    public var event: String
    public var policyName: String?
    public var policyVersion: String
    public var operation: String
    public var itemDigest: String?
    public var entityTypes: [String: Int]
    public var positions: [Position]

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id", time, event, policyName = "policy_name", policyVersion = "policy_version", operation
        case itemDigest = "item_digest", entityTypes = "entity_types", positions
    }

    /// The events a decision raises: one `alert` for its alert-level findings, one `block` when it blocks.
    public static func events(for decision: Decision, operation: String, itemDigest: String?) -> [PolicyEvent] {
        var events: [PolicyEvent] = []
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        func event(_ name: String, _ findings: [Finding]) -> PolicyEvent {
            var counts: [String: Int] = [:]
            for finding in findings { counts[finding.kind.rawValue, default: 0] += 1 }
            return PolicyEvent(eventID: UUID().uuidString.lowercased(), time: time, event: name, policyName: decision.policyName,
                               policyVersion: decision.policyVersion, operation: operation, itemDigest: itemDigest, entityTypes: counts,
                               positions: findings.map { Position(type: $0.kind.rawValue, start: $0.start, end: $0.end) })
        }
        if !decision.alerts.isEmpty { events.append(event("alert", decision.alerts)) }
        if decision.blocks { events.append(event("block", decision.entries.filter { $0.action == .block }.map(\.finding))) }
        return events
    }

    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// Webhook delivery that never loses an event: each (event, target) pair is first written to the outbox
/// (`var/webhook-outbox/`), then POSTed with retries and backoff; only a 2xx answer removes it. What is still
/// pending is retried on the next run (or by `medlocal webhooks retry`).
public struct WebhookOutbox: Sendable {
    public let folder: String
    public var attempts: Int
    /// Seconds before the second attempt; doubled for each later one.
    public var backoff: TimeInterval
    public var timeout: Duration

    public init(dataDirectory: String, attempts: Int = 3, backoff: TimeInterval = 0.2, timeout: Duration = .seconds(5)) {
        folder = (dataDirectory as NSString).appendingPathComponent("webhook-outbox")
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
    }

    struct Pending: Codable {
        var url: String
        var body: Data
        var tries: Int
    }

    /// Queues `event` for every target that subscribes to its kind.
    public func enqueue(_ event: PolicyEvent, targets: [WebhookTarget]) throws {
        let subscribed = targets.filter { $0.events.contains(event.event) }
        guard !subscribed.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (index, target) in subscribed.enumerated() {
            let pending = Pending(url: target.url, body: event.json, tries: 0)
            try AtomicFile.write(try JSONEncoder().encode(pending), to: path(for: "\(event.time)-\(event.eventID)-\(index)"))
        }
    }

    /// Tries every pending delivery (oldest first) up to `attempts` times each.
    /// - Returns: how many were delivered and how many are still pending.
    @discardableResult
    public func deliverPending(client: LoopbackHTTPClient = LoopbackHTTPClient()) -> (delivered: Int, pending: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var delivered = 0
        for name in names {
            let file = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file), var pending = try? JSONDecoder().decode(Pending.self, from: data) else { continue }
            var sent = false
            for attempt in 0..<max(1, attempts) {
                if attempt > 0 { Thread.sleep(forTimeInterval: backoff * Double(1 << (attempt - 1))) }
                pending.tries += 1
                if let status = try? client.post(pending.url, body: pending.body, timeout: timeout), (200..<300).contains(status) {
                    sent = true
                    break
                }
            }
            if sent {
                try? FileManager.default.removeItem(atPath: file)
                delivered += 1
            } else if let data = try? JSONEncoder().encode(pending) {
                try? AtomicFile.write(data, to: file)
            }
        }
        return (delivered, names.count - delivered)
    }

    private func path(for name: String) -> String {
        (folder as NSString).appendingPathComponent(name.replacingOccurrences(of: ":", with: "") + ".json")
    }
}
