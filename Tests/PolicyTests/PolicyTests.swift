import Core
import Policy
import Testing

@Suite("Policies")
struct PolicyTests {
    static let minimal = """
    version: v1.0
    entities:
      ID_NUMBER: {action: block, threshold: 0.5}
      PERSON: {action: anonymize, operator: mask, threshold: 0.5}
      default: {action: tag}
    """

    private func finding(_ kind: EntityKind, score: Double) -> Finding {
        Finding(kind: kind, range: 0..<2, score: score, explanation: Explanation(recognizer: "test"))
    }

    @Test("The minimal v1.0 policy validates and means what it says")
    func minimal() throws {
        let policy = try PolicyLoader().load(yaml: Self.minimal)
        #expect(policy.version == PolicyVersion(major: 1, minor: 0))
        #expect(policy.rule(for: .idNumber).action == .block)
        #expect(policy.rule(for: .person) == EntityRule(action: .anonymize, threshold: 0.5, operator: "mask"))
        #expect(policy.rule(for: .phoneNumber).action == .tag)
        #expect(policy.decide([finding(.person, score: 0.9)]).action == .anonymize)
        #expect(policy.decide([finding(.person, score: 0.9), finding(.idNumber, score: 0.95)]).blocks)
        #expect(policy.decide([finding(.idNumber, score: 0.3)]).action == .tag)   // under the threshold: not acted on
        #expect(policy.decide([]).action == .tag)
    }

    @Test("Actions are ordered and the strictest decides; alerts fire whatever the item's action")
    func ladder() throws {
        #expect(PolicyAction.tag < .alert && PolicyAction.alert < .anonymize && PolicyAction.anonymize < .block)
        let policy = try PolicyLoader().load(yaml: """
        version: v1.1
        entities:
          PHONE_NUMBER: {action: alert}
          PERSON: {action: anonymize}
        """)
        let decision = policy.decide([finding(.phoneNumber, score: 0.9), finding(.person, score: 0.9)])
        #expect(decision.action == .anonymize)
        #expect(decision.alerts.map(\.kind) == [.phoneNumber])
        #expect(policy.rule(for: .person).operator == "replace")
    }

    @Test("Problems name their line and field", arguments: [
        ("version: v1.0\nentities:\n  PERSON: {action: blur}\n", 3, "unknown action 'blur' for PERSON; use one of: tag, alert, anonymize, block"),
        ("version: v1.0\nentities:\n  PERSN: {action: tag}\n", 3, "unknown entity type 'PERSN'"),
        ("version: v1.0\nentities:\n  PERSON: {action: tag, threshold: 2}\n", 3, "threshold for PERSON must be a number from 0 to 1"),
        ("version: v1.0\nentities:\n  PERSON: {action: anonymize, operator: blur}\n", 3, "unknown operator 'blur'"),
        ("version: v1.0\nentities:\n  PERSON: {action: tag, colour: red}\n", 3, "unknown field 'colour'"),
        ("version: v3.0\nentities:\n  PERSON: {action: tag}\n", 1, "not supported"),
        ("version: 1.0\nentities: {}\n", 1, "version must look like v1.0"),
        ("entities:\n  PERSON: {action: tag}\n", nil, "no version"),
    ] as [(String, Int?, String)])
    func problems(yaml: String, line: Int?, message: String) {
        do {
            _ = try PolicyLoader().load(yaml: yaml)
            Issue.record("accepted an invalid policy")
        } catch {
            let problem = error.problems.first { $0.message.contains(message) }
            #expect(problem != nil, "\(error.problems)")
            if let line { #expect(problem?.line == line) }
        }
    }

    @Test("Every problem of a file is reported at once")
    func allProblems() {
        do {
            _ = try PolicyLoader().load(yaml: "version: v1.0\nentities:\n  PERSON: {action: blur}\n  PHONE_NUMBER: {action: tag, threshold: -1}\n")
            Issue.record("accepted an invalid policy")
        } catch {
            #expect(error.problems.count == 2)
        }
    }
}
