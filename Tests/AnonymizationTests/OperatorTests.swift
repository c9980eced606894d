import Anonymization
import Core
import Detection
import Foundation
import Testing
import TestSupport

@Suite("Anonymization operators")
struct OperatorTests {
    // Fixed keys keep these property tests reproducible run to run.
    static let key = try! ProjectKey(bytes: (0..<32).map { UInt8($0 * 7 % 251) })
    static let otherKey = try! ProjectKey(bytes: (0..<32).map { UInt8(255 - $0) })

    static let allOperators: [OperatorSpec] = [
        .mask(character: "*", keepLast: 0), .redact, .replace(nil), .hash, .encrypt, .pseudonymize, .dateShift,
    ]

    func anonymize(_ text: String, _ spec: OperatorSpec, key: ProjectKey = key, patientID: String? = "p1") throws -> (AnonymizedText, [Finding]) {
        let findings = PHIAnalyzer().analyze(text)
        var context = AnonymizationContext(key: key, patientID: patientID)
        let plan = spec == .dateShift ? OperatorPlan(perKind: [.date: .dateShift], fallback: .replace(nil)) : OperatorPlan(fallback: spec)
        return (try Anonymizer(plan: plan).anonymize(text, findings: findings, context: &context), findings)
    }

    @Test("Every detected span is gone after every operator", arguments: allOperators)
    func spansAreGone(_ spec: OperatorSpec) throws {
        for document in try LabelledDocument.phiDev().prefix(150) {
            let (output, findings) = try anonymize(document.text, spec)
            #expect(output.replacements.count == findings.count)
            for (finding, replacement) in zip(findings, output.replacements) {
                let original = document.text.slice(codePoints: finding.range)
                let rewritten = output.text.slice(codePoints: replacement.range)
                #expect(rewritten != original, "\(document.id): \(finding.kind) unchanged by \(spec)")
                // Long identifiers must not survive anywhere in the output.
                if original.unicodeScalars.count >= 8, finding.kind != .date, finding.kind != .hospital {
                    #expect(!output.text.contains(original), "\(document.id): a \(finding.kind) value survives \(spec)")
                }
            }
        }
    }

    @Test("Mask keeps the length and can keep the last characters")
    func mask() throws {
        var context = AnonymizationContext(key: nil)
        let text = "电话：13807312468。"
        let findings = PHIAnalyzer().analyze(text)
        let out = try Anonymizer(plan: OperatorPlan(fallback: .mask(character: "#", keepLast: 4))).anonymize(text, findings: findings, context: &context)
        #expect(out.text == "电话：#######2468。")
    }

    @Test("Pseudonyms, hashes and date shifts are deterministic under one key and differ under another",
          arguments: [OperatorSpec.pseudonymize, .hash, .dateShift])
    func determinism(_ spec: OperatorSpec) throws {
        let text = try LabelledDocument.phiDev()[0].text
        let a = try anonymize(text, spec).0.text
        let b = try anonymize(text, spec).0.text
        let c = try anonymize(text, spec, key: Self.otherKey).0.text
        #expect(a == b)
        #expect(a != c)
    }

    @Test("Encrypt then restore gives back the original text")
    func encryptRestore() throws {
        for document in try LabelledDocument.phiDev().prefix(30) {
            let (output, _) = try anonymize(document.text, .encrypt)
            #expect(output.text != document.text)
            let restored = try Restorer.restore(output.text, key: Self.key)
            #expect(restored.text == document.text)
        }
    }

    @Test("Restore with another key fails with a message that names the position, not the value")
    func restoreWrongKey() throws {
        let (output, _) = try anonymize("患者姓名：张军\n", .encrypt)
        #expect(throws: OperatorError.self) { try Restorer.restore(output.text, key: Self.otherKey) }
        do {
            _ = try Restorer.restore(output.text, key: Self.otherKey)
        } catch {
            #expect(!error.message.contains("张军"))
            #expect(error.message.contains("code point"))
        }
    }

    @Test("Two different values never share a pseudonym, and a value keeps its pseudonym")
    func pseudonymsAreUniqueAndStable() throws {
        var table = PseudonymTable()
        var context = AnonymizationContext(key: Self.key, pseudonyms: table)
        let anonymizer = Anonymizer(plan: OperatorPlan(fallback: .pseudonymize))
        var seen: [String: String] = [:]
        let surnames: [Character] = Array("王李张刘陈杨黄赵吴周")
        let given: [Character] = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚")
        var names: [String] = []
        for i in 0..<200 {
            let name = String(surnames[i % 10]) + String(given[i / 10]) + String(given[(i * 7) % 20])
            names.append("患者姓名：" + name + "\n")
        }
        for text in names + names {
            let findings = PHIAnalyzer().analyze(text)
            let out = try anonymizer.anonymize(text, findings: findings, context: &context)
            guard let f = findings.first, let r = out.replacements.first else { continue }
            let original = text.slice(codePoints: f.range), surrogate = out.text.slice(codePoints: r.range)
            if let earlier = seen[original] { #expect(earlier == surrogate) }
            seen[original] = surrogate
        }
        table = context.pseudonyms
        #expect(Set(seen.values).count == seen.count, "a pseudonym is shared by two names")
        #expect(seen.count == 200)
    }

    @Test("More distinct names than the surrogate vocabulary still get unique pseudonyms, and the run ends")
    func vocabularyExhaustion() throws {
        var context = AnonymizationContext(key: Self.key)
        let anonymizer = Anonymizer(plan: OperatorPlan(fallback: .pseudonymize))
        var surrogates = Set<String>()
        for i in 0..<600 {
            let text = "seen by Dr. Zq\(String(repeating: "x", count: i % 7))\(Character(Unicode.Scalar(97 + i % 26)!))\(Character(Unicode.Scalar(97 + (i / 26) % 26)!))ab."
            let findings = PHIAnalyzer().analyze(text)
            let out = try anonymizer.anonymize(text, findings: findings, context: &context)
            for r in out.replacements { surrogates.insert(out.text.slice(codePoints: r.range)) }
        }
        #expect(surrogates.count >= 590)
    }

    @Test("A pseudonymised resident ID is valid, new, and keeps nothing of the original")
    func residentIDSurrogate() throws {
        let text = "身份证号：430102196608213414\n"
        let (output, _) = try anonymize(text, .pseudonymize)
        let id = output.text.slice(codePoints: output.replacements[0].range)
        #expect(id.count == 18)
        #expect(ResidentIDValidator.validate(id.unicodeScalars.map(\.value)) == .valid)
        #expect(!id.hasPrefix("430102") && !id.contains("19660821"))
    }

    @Test("A pseudonymised phone keeps its format and a Chinese name stays Chinese")
    func shapes() throws {
        let text = "患者姓名：欧阳建华\n联系电话：139-0731-2468\nPhone: (415) 555-0134\n"
        let (output, _) = try anonymize(text, .pseudonymize)
        let values = output.replacements.map { output.text.slice(codePoints: $0.range) }
        #expect(values[0].unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) })
        #expect(values[1].range(of: #"^1[3-9]\d-\d{4}-\d{4}$"#, options: .regularExpression) != nil)
        #expect(values[2].range(of: #"^\([2-9]\d\d\) \d{3}-\d{4}$"#, options: .regularExpression) != nil)
    }

    @Test("Date shift keeps each date's format and the intervals between dates")
    func dateShiftKeepsFormatAndIntervals() throws {
        let text = "入院日期：2024-10-05\n出院日期：2024-10-15\n随访：2024年11月5日\nSigned: Oct 20, 2024\n"
        let (output, _) = try anonymize(text, .dateShift, patientID: "ID_NUMBER:430102196608213414")
        let values = output.replacements.map { output.text.slice(codePoints: $0.range) }
        #expect(values.count == 4)
        #expect(values[0].range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil)
        #expect(values[2].range(of: #"^\d{4}年\d{1,2}月\d{1,2}日$"#, options: .regularExpression) != nil)
        #expect(values[3].range(of: #"^[A-Z][a-z]{2} \d{1,2}, \d{4}$"#, options: .regularExpression) != nil)
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let d0 = try #require(formatter.date(from: values[0])), d1 = try #require(formatter.date(from: values[1]))
        #expect(d1.timeIntervalSince(d0) == 10 * 86400)
        #expect(values[0] != "2024-10-05")
    }

    @Test("Hash output is stable and truncated")
    func hashShape() throws {
        let (output, _) = try anonymize("住院号：ZY20250318077\n", .hash)
        let value = output.text.slice(codePoints: output.replacements[0].range)
        #expect(value.range(of: #"^\[MEDICAL_RECORD_NUMBER:[0-9a-f]{16}\]$"#, options: .regularExpression) != nil)
    }

    @Test("Operators that need a key fail with a message that says to run keygen")
    func missingKey() throws {
        var context = AnonymizationContext(key: nil)
        let text = "患者姓名：张军\n"
        #expect(throws: OperatorError.self) {
            try Anonymizer(plan: OperatorPlan(fallback: .hash)).anonymize(text, findings: PHIAnalyzer().analyze(text), context: &context)
        }
        do {
            _ = try Anonymizer(plan: OperatorPlan(fallback: .hash)).anonymize(text, findings: PHIAnalyzer().analyze(text), context: &context)
        } catch {
            #expect(error.message.contains("medlocal keygen"))
        }
    }

    @Test("Operator specs parse from the command line, and unknown ones are explained")
    func parsing() throws {
        let plan = try OperatorPlan(assignments: ["PERSON=pseudonymize", "DATE=date-shift", "default=mask:#:4"])
        #expect(plan.spec(for: .person) == .pseudonymize)
        #expect(plan.spec(for: .date) == .dateShift)
        #expect(plan.spec(for: .phoneNumber) == .mask(character: "#", keepLast: 4))
        #expect(throws: OperatorError.self) { try OperatorPlan(assignments: ["PERSON=blur"]) }
    }
}
