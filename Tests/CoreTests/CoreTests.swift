import Core
import Foundation
import Testing

@Suite("Core vocabulary")
struct CoreTests {
    @Test("Redacted values never print")
    func redacted() {
        let secret = Redacted("张军 11010519491231002X")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.unsafeValue.hasPrefix("张军"))
    }

    @Test("Findings encode as the scorer's entity shape and decode back")
    func findingCoding() throws {
        let finding = Finding(kind: .person, range: 5..<9, score: 0.9,
                              explanation: Explanation(recognizer: "field-label", pattern: "label value", contextWords: ["姓名"]))
        let data = try JSONEncoder().encode(finding)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["type"] as? String == "PERSON")
        #expect(object["start"] as? Int == 5 && object["end"] as? Int == 9)
        #expect(try JSONDecoder().decode(Finding.self, from: data) == finding)
    }

    @Test("A finding whose end precedes its start does not decode")
    func badRange() {
        let json = Data(#"{"type":"PERSON","start":9,"end":5}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Finding.self, from: json) }
    }

    @Test("Slicing by code points handles astral characters and clamps")
    func codePointSlices() {
        let text = "𠀀患者😀ab"
        #expect(text.codePointCount == 6)
        #expect(text.slice(codePoints: 1..<3) == "患者")
        #expect(text.slice(codePoints: 3..<4) == "😀")
        #expect(text.slice(codePoints: 4..<99) == "ab")
    }

    @Test("Entity kinds: the sixteen standard names, DEVICE_ID opt-in, site kinds allowed")
    func kinds() {
        #expect(EntityKind.standard.count == 16)
        #expect(!EntityKind.standard.contains(.deviceID))
        #expect(EntityKind.all.contains(.deviceID))
        #expect(EntityKind("WARD_CODE").rawValue == "WARD_CODE")
    }

    @Test("Exit statuses are the documented numbers")
    func exitStatuses() {
        #expect([ExitStatus.success, .badInput, .partialFailure, .blockedByPolicy, .verificationFailed].map(\.rawValue) == [0, 1, 2, 3, 4])
    }
}
