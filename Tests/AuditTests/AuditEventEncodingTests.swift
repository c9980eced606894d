import Foundation
@testable import Audit
import Testing

/// The hand-written record body is exactly what Foundation's sorted-keys encoder writes, and decodes back.
@Suite struct AuditEventEncodingTests {
    static let events: [AuditEvent] = [
        AuditEvent(time: Date(timeIntervalSince1970: 1_764_692_010.123), actor: "ward-7", operation: "api.phi.scan",
                   inputDigest: String(repeating: "ab", count: 32), policyVersion: "v2.0", policyName: "hospital-default", action: "anonymize",
                   findings: [.init(type: "PERSON", start: 2, end: 4, score: 0.9, recognizer: "cn-person", action: "anonymize"),
                              .init(type: "AGE", start: 7, end: 10, score: 1, recognizer: "age-with-unit"),
                              .init(type: "DATE", start: 25, end: 34, score: 0.857, recognizer: "date", action: "tag")]),
        AuditEvent(time: Date(timeIntervalSince1970: 0.5), actor: "name \"quoted\" \\ back/slash\n\t\u{01}", operation: "scan",
                   itemDigest: "00ff", inputDigest: "11", outputDigest: "22"),
        AuditEvent(time: Date(timeIntervalSince1970: 1_700_000_000.9996), actor: "医生·张", operation: "redact", inputDigest: "33"),
        AuditEvent(time: Date(timeIntervalSince1970: 1_800_000_000), actor: "ward-7", operation: "redact", itemDigest: "44", inputDigest: "55",
                   outputDigest: "66", keyID: "k0123456789"),
    ]

    @Test(arguments: events)
    func theBodyIsWhatFoundationWritesAndDecodesBack(_ event: AuditEvent) throws {
        let body = AuditChain.Body(sequence: 42, event: event)
        let ours = AuditEventEncoding.body(sequence: 42, event: event)
        let foundation = String(decoding: try AuditChain.referenceEncoder.encode(body), as: UTF8.self)
        #expect(ours == foundation)
        let decoded = try AuditChain.decode(ours)
        #expect(decoded.sequence == 42)
        #expect(AuditChain.timeText(decoded.event.time) == AuditChain.timeText(event.time))
        #expect(decoded.event.findings == event.findings && decoded.event.actor == event.actor && decoded.event.keyID == event.keyID)
    }

    @Test func timesAreUTCMillisecondsThatReadBackToThemselves() throws {
        #expect(AuditChain.timeText(Date(timeIntervalSince1970: 1_764_692_010.123)) == "2025-12-02T16:13:30.123Z")
        #expect(AuditChain.timeText(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(AuditChain.timeText(Date(timeIntervalSince1970: 1_700_000_000.9996)) == "2023-11-14T22:13:21.000Z")
        for text in ["2026-12-02T16:13:30.123Z", "2026-01-01T00:00:00.001Z", "2024-02-29T23:59:59.999Z"] {
            #expect(AuditChain.timeText(try #require(AuditChain.date(from: text))) == text)
        }
    }
}
