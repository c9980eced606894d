import Foundation
import Service
import Testing
import TestSupport

/// The policy's webhooks hear what the server decides: alerts and blocks from requests, delivered off the request
/// path, with types and offsets and never a value.
@Suite struct ServerWebhookTests {
    static let note = "患者张伟，电话13812345678，身份证号11010519491231002X。"

    static func policy(port: UInt16) -> String {
        """
        version: v2.0
        name: ward-alerts
        entities:
          PHONE_NUMBER: {action: alert}
          ID_NUMBER:
            rules:
              - {action: block, when: {source: [api]}}
              - {action: anonymize, operator: mask}
        default: {action: tag}
        webhooks:
          - {url: 'http://127.0.0.1:\(port)/medlocal', events: [alert, block]}
        """
    }

    @Test func alertsAndBlocksOfRequestsReachTheWebhookWithoutValues() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let server = try await TestServer.start { _, data, _ in
            try Self.policy(port: receiver.port).write(to: data.deletingLastPathComponent().appendingPathComponent("policy.yaml"),
                                                       atomically: true, encoding: .utf8)
        }
        let alerted = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": "联系电话13812345678"])
        #expect(alerted.status == 200)
        let blocked = try await server.request("POST", "/api/v1/phi/redact", role: .operator, json: ["text": Self.note])
        #expect(blocked.status == 403)

        let deadline = Date().addingTimeInterval(15)
        while receiver.received.count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let events = receiver.received.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        // The scan raises one alert; the blocked redaction raises its alert (the phone) and its block (the ID).
        #expect(events.count == 3, "\(receiver.received)")
        #expect(events.filter { $0["event"] as? String == "alert" }.count == 2)
        let block = try #require(events.first { $0["event"] as? String == "block" })
        #expect(block["operation"] as? String == "api.phi.redact")
        #expect(block["policy_name"] as? String == "ward-alerts")
        #expect((block["entity_types"] as? [String: Int])?["ID_NUMBER"] == 1)
        for body in receiver.received {
            for canary in ["张伟", "13812345678", "11010519491231002X"] { #expect(!body.contains(canary), "a webhook body holds \(canary)") }
        }
        // Delivered events leave the outbox.
        let outbox = server.data.appendingPathComponent("webhook-outbox")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).filter { $0.hasSuffix(".json") }.isEmpty)
        await server.stop()
    }
}
