import Audit
import Foundation
import Logging
import Synchronization

/// One JSON object per line on stderr — `{"time","level","logger","message",…metadata}`, keys sorted — which
/// journald keeps as the MESSAGE and a SIEM can parse. Carries exactly what the text handler does: ids, routes,
/// statuses, timings, never request bodies or values (the callers see to that). Written with the audit log's
/// `JSONBytes`, not a `JSONEncoder` per line: the server logs a line per request.
struct JSONLineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private static let lock = Mutex(())

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        fields["time"] = AuditChain.timeText(Date())
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["message"] = "\(event.message)"
        var json = JSONBytes(capacity: 256)
        json.beginObject()
        for key in fields.keys.sorted() { json.member(key, fields[key]) }
        json.endObject()
        let line = Data(json.bytes + [0x0A])
        Self.lock.withLock { _ in FileHandle.standardError.write(line) }
    }
}
