import Foundation
import Core
import Policy
import Testing

private func finding(_ kind: EntityKind, _ range: Range<Int>, score: Double = 0.9) -> Finding {
    Finding(kind: kind, range: range, score: score, explanation: Explanation(recognizer: "test"))
}

private func problems(_ yaml: String) -> [String] {
    do {
        _ = try PolicyLoader().load(yaml: yaml)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

@Suite struct SchemaMessageTests {
    @Test("Each problem is reported with its exact message, line and field", arguments: [
        ("version: v1.0\nentities:\n  PERSON: {action: blur}\n",
         "line 3: unknown action 'blur' for PERSON; use one of: tag, alert, anonymize, block"),
        ("version: v1.0\nentities:\n  PERSON: {action: tag, allow: [Dr. Li]}\n",
         "line 3: 'allow' needs version v1.1 or later (this file says v1.0); raise the version"),
        ("version: v2.0\nentities:\n  PERSON: {action: tag, threshold: 0.4}\n",
         "line 3: threshold was renamed min_score in v2.0; run `medlocal policy migrate` or rename it"),
        ("version: v2.0\nentities:\n  default: {action: tag}\n",
         "line 3: entities.default moved to a top-level default in v2.0; run `medlocal policy migrate`"),
        ("version: v3.0\nentities: {}\n",
         "line 1: version v3.0 is not supported by this MedLocal (it reads v1.x and v2.x); use a MedLocal that knows v3"),
        ("version: v1.1\nentities:\n  PERSON: {action: tag, when: {ward: icu}}\n",
         "line 3: unknown condition 'ward'; use document_kind, language, source or score"),
        ("version: v1.1\nentities:\n  PERSON:\n    action: tag\n    deny: ['/([/']\n",
         "line 5: entities.PERSON.deny: the regular expression /([/ does not compile"),
        ("version: v1.1\nwebhooks:\n  - url: http://siem.example.org/hook\nentities: {}\n",
         "line 3: webhook host siem.example.org is not loopback; list it in webhook_hosts to allow it"),
        ("version: v1.1\nrecognizers:\n  - {name: zy, type: MRN, pattern: 'ZY\\d+'}\nentities: {}\n",
         "line 3: unknown entity type 'MRN' for recognizer zy"),
        ("version: v1.1\nmode: paranoid\nentities: {}\n",
         "line 2: unknown mode 'paranoid'; use standard or default-deny"),
    ] as [(String, String)])
    func exactMessage(yaml: String, message: String) {
        #expect(problems(yaml).contains(message), "\(problems(yaml))")
    }

    @Test func anAllowListedWebhookHostIsAccepted() throws {
        let policy = try PolicyLoader().load(yaml: "version: v1.1\nwebhook_hosts: [siem.example.org]\nwebhooks:\n  - {url: 'http://siem.example.org/hook', events: [block]}\nentities: {}\n")
        #expect(policy.webhooks == [WebhookTarget(url: "http://siem.example.org/hook", events: ["block"])])
    }
}

@Suite struct RuleFeatureTests {
    @Test func theFirstRuleWhoseConditionsHoldApplies() throws {
        let policy = try PolicyLoader().load(yaml: """
            version: v1.1
            entities:
              PERSON:
                rules:
                  - {action: block, when: {document_kind: [psychiatry_note]}}
                  - {action: anonymize, operator: mask, when: {language: [en], score: {min: 0.8}}}
                  - {action: tag}
            """)
        let name = finding(.person, 0..<3)
        #expect(policy.decide([name], context: ItemContext(documentKind: "psychiatry_note")).action == .block)
        #expect(policy.decide([name], context: ItemContext(language: .en)).action == .anonymize)
        #expect(policy.decide([finding(.person, 0..<3, score: 0.6)], context: ItemContext(language: .en)).action == .tag)
        #expect(policy.decide([name], context: ItemContext(language: .zh)).action == .tag)
    }

    @Test func allowListedValuesAreNotActedOnAndDenyListedOnesAlwaysAre() throws {
        let policy = try PolicyLoader().load(yaml: """
            version: v1.1
            allow: [协和]
            entities:
              PERSON: {action: anonymize, allow: ['/Dr\\. [A-Z]\\w+/'], deny: [王主任]}
              HOSPITAL: {action: anonymize}
            """)
        let text = "Dr. House 与王主任 在协和会诊"
        let decision = policy.decide([finding(.person, 0..<9), finding(.hospital, 16..<18)], in: text)
        #expect(decision.findings.map(\.kind) == [.person])
        #expect(decision.findings.first?.range == 11..<14)
        #expect(decision.findings.first?.explanation.recognizer == "policy-deny")
    }

    @Test func aSiteRecognizerFindsTheHospitalsOwnFormatOnlyNearItsLabel() throws {
        let policy = try PolicyLoader().load(yaml: """
            version: v1.1
            recognizers:
              - {name: inpatient-number, type: MEDICAL_RECORD_NUMBER, pattern: 'ZY\\d{6}', context: [住院号], score: 0.95}
            entities:
              MEDICAL_RECORD_NUMBER: {action: anonymize, operator: hash}
            """)
        let decision = policy.decide([], in: "住院号：ZY123456，批号ZY654321")
        #expect(decision.findings.count == 1)
        #expect(decision.findings.first?.range == 4..<12)
        #expect(decision.findings.first?.explanation.recognizer == "site:inpatient-number")
        #expect(decision.action == .anonymize)
    }

    @Test func defaultDenyTurnsWordsTheVocabularyCannotExplainIntoFindings() throws {
        let policy = try PolicyLoader().load(yaml: """
            version: v1.1
            mode: default-deny
            entities:
              UNEXPLAINED: {action: anonymize, operator: redact}
            """)
        let text = "患者诉胸痛，Zorblax 123456789 bp 120/80"
        let decision = policy.decide([], in: text)
        let unexplained = decision.findings.filter { $0.kind == .unexplained }.map { text.unicodeScalars.count >= $0.end ? $0.range : 0..<0 }
        #expect(unexplained.contains(6..<13))    // Zorblax
        #expect(unexplained.contains(14..<23))   // a 9-digit number nobody explained
        #expect(!unexplained.contains { $0.lowerBound < 5 })   // 患者诉胸痛 is clinical text
        #expect(decision.action == .anonymize)
        let standard = try PolicyLoader().load(yaml: "version: v1.1\nentities: {}\n")
        #expect(standard.decide([], in: text).findings.isEmpty)
    }
}

@Suite struct MigrationTests {
    static let v1 = """
        version: v1.0
        name: ward
        entities:
          ID_NUMBER: {action: block, threshold: 0.5}
          PERSON: {action: anonymize, operator: mask, threshold: 0.7}
          default: {action: tag}
        """

    @Test func aV1_0FileLoadsUnderTheV1_1Schema() throws {
        let v11 = Self.v1.replacingOccurrences(of: "v1.0", with: "v1.1") + "\n  PHONE_NUMBER: {action: alert, allow: ['110']}\n"
        let policy = try PolicyLoader().load(yaml: v11)
        #expect(policy.rule(for: .person).threshold == 0.7)
        #expect(policy.entities[.phoneNumber]?.allow.count == 1)
    }

    @Test func migratingV1ToV2KeepsEveryDecision() throws {
        let migrated = try PolicyMigration.migrate(yaml: Self.v1)
        #expect(migrated.contains("version: v2.0"))
        #expect(migrated.contains("min_score: 0.7"))
        #expect(!migrated.contains("threshold"))
        let old = try PolicyLoader().load(yaml: Self.v1), new = try PolicyLoader().load(yaml: migrated)
        #expect(new.version == PolicyVersion(major: 2, minor: 0))
        #expect(new.name == "ward")
        for findings in [[finding(.idNumber, 0..<18)], [finding(.person, 0..<3, score: 0.6)], [finding(.person, 0..<3)], [finding(.date, 0..<4)]] {
            let before = old.decide(findings), after = new.decide(findings)
            #expect(before.action == after.action)
            #expect(before.entries.map(\.operator) == after.entries.map(\.operator))
        }
    }

    @Test func aV2FileIsNotMigratedAgain() {
        #expect(throws: PolicyError.self) { try PolicyMigration.migrate(yaml: "version: v2.0\nentities: {}\n") }
    }
}

@Suite struct PresetTests {
    @Test(arguments: PolicyPresets.names)
    func everyPresetLoads(name: String) throws {
        let yaml = try #require(PolicyPresets.yaml(named: name))
        let policy = try PolicyLoader().load(yaml: yaml)
        #expect(policy.name == name)
    }

    @Test func safeHarborCoversItsIdentifiersWithYearsAndAgeCategories() throws {
        let policy = try PolicyLoader().load(yaml: #require(PolicyPresets.yaml(named: "hipaa-safe-harbor")))
        for kind in EntityKind.all { #expect(policy.rule(for: kind).action == .anonymize, "\(kind)") }
        #expect(policy.rule(for: .date).operator == "year-only")
        #expect(policy.rule(for: .age).operator == "age-cap")
        #expect(policy.entities[.deviceID] != nil)
    }

    @Test func theHospitalDefaultRewritesIdentifiersAndTagsHospitals() throws {
        let policy = try PolicyLoader().load(yaml: #require(PolicyPresets.yaml(named: "default")))
        for kind in [EntityKind.idNumber, .person, .phoneNumber, .medicalRecordNumber] { #expect(policy.rule(for: kind).action == .anonymize) }
        #expect(policy.rule(for: .date).operator == "date-shift")
        #expect(policy.rule(for: .hospital).action == .tag)
    }
}
