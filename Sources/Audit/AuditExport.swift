public import Foundation

/// Compliance reports: the records since a time, as JSON lines (sequence, hash and the whole event) or CSV
/// (one row per record, finding types counted). Neither holds more than the records do: digests, never values.
public struct AuditExport: Sendable {
    public enum Format: String, Sendable, CaseIterable { case jsonl, csv }

    public let store: any AuditStore

    public init(store: any AuditStore) {
        self.store = store
    }

    /// Writes the records at or after `since` to `write`, a line at a time. Returns how many were written.
    @discardableResult
    public func export(since: Date?, format: Format, write: (String) throws -> Void) throws -> Int {
        if let header = Self.header(format) { try write(header) }
        var after = try (store.firstSequence() ?? 1) - 1
        var written = 0
        while let page = try nextPage(after: &after) {
            for line in try lines(page, since: since, format: format) {
                try write(line)
                written += 1
            }
        }
        return written
    }

    /// The CSV header line; nil for JSON lines.
    public static func header(_ format: Format) -> String? { format == .csv ? csvHeader : nil }

    /// The next records after `after` (which moves past them), nil at the end: for exports written page by page.
    public func nextPage(after: inout Int64, size: Int = 2000) throws -> [AuditRecord]? {
        let page = try store.records(after: after, limit: size)
        guard let last = page.last else { return nil }
        after = last.sequence
        return page
    }

    /// The export lines of the records in `page` at or after `since`.
    public func lines(_ page: [AuditRecord], since: Date?, format: Format) throws -> [String] {
        let sinceText = since.map(AuditChain.timeText)
        return try page.filter { record in sinceText.map { record.time >= $0 } ?? true }.map { record in
            let event = try record.event()
            return format == .jsonl ? try jsonLine(record, event) : csvRow(record, event)
        }
    }

    static let csvHeader = "sequence,time,actor,operation,item_digest,policy_name,policy_version,action,findings,types,input_digest,output_digest,hash"

    private func jsonLine(_ record: AuditRecord, _ event: AuditEvent) throws -> String {
        struct Line: Encodable {
            var sequence: Int64
            var hash: String
            var previousHash: String
            var event: AuditEvent
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(AuditChain.timeText(date))
        }
        let line = Line(sequence: record.sequence, hash: record.hash, previousHash: record.previousHash, event: event)
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }

    private func csvRow(_ record: AuditRecord, _ event: AuditEvent) -> String {
        var counts: [String: Int] = [:]
        for finding in event.findings { counts[finding.type, default: 0] += 1 }
        let types = counts.keys.sorted().map { "\($0)=\(counts[$0]!)" }.joined(separator: " ")
        let fields: [String] = [
            String(record.sequence), record.time, event.actor, event.operation, event.itemDigest ?? "", event.policyName ?? "",
            event.policyVersion ?? "", event.action ?? "", String(event.findings.count), types, event.inputDigest,
            event.outputDigest ?? "", record.hash,
        ]
        return fields.map(Self.csvField).joined(separator: ",")
    }

    private static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
