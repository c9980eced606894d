import Crypto
public import Foundation

/// How records are linked: `hash = SHA-256(previousHash ‖ "\n" ‖ body)`, hex, where `body` is the canonical JSON
/// of the event with its sequence number. Plain SHA-256, so anyone can verify the chain without a key.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The record that follows `head` for `event`.
    public static func record(for event: AuditEvent, after head: ChainHead) throws -> AuditRecord {
        let sequence = head.count + 1
        let body = AuditEventEncoding.body(sequence: sequence, event: event)
        return AuditRecord(sequence: sequence, time: timeText(event.time), body: body, previousHash: head.hash,
                           hash: hash(previous: head.hash, body: body))
    }

    /// Records for `events`, chained one after another from `head`.
    public static func records(for events: [AuditEvent], after head: ChainHead) throws -> [AuditRecord] {
        var head = head
        return try events.map { event in
            let record = try record(for: event, after: head)
            head = ChainHead(count: record.sequence, hash: record.hash)
            return record
        }
    }

    public static func hash(previous: String, body: String) -> String {
        hex(SHA256.hash(data: Data((previous + "\n" + body).utf8)))
    }

    /// What a body holds: the sequence number (so a record cannot be moved) and the event.
    struct Body: Codable, Equatable {
        var sequence: Int64
        var event: AuditEvent
    }

    static func decode(_ body: String) throws -> Body {
        try decoder.decode(Body.self, from: Data(body.utf8))
    }

    /// Milliseconds, UTC (`2026-12-02T16:13:30.123Z`): sortable as text, and exactly what the body's date decodes
    /// back to. Formatted by hand, rounded to the millisecond (so a time read back from its text gives that text).
    public static func timeText(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }

    public static func date(from text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// Foundation's encoding of a body, which ``AuditEventEncoding`` reproduces byte for byte (tests compare them).
    static let referenceEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timeText(date))
        }
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }()
}

/// Lowercase hex of `bytes`. Written out by hand: `String(format:)` per byte costs microseconds on Linux, and every
/// record hashes and digests several values.
public func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
