import Core
import Policy
import Testing
import Workflows

/// Verdicts travel by value: they change a policy's decision wherever the same value is found.
@Suite struct ReviewVerdictsTests {
    static let policy = Policy(version: PolicyVersion(major: 2, minor: 0), name: "test",
                               rules: [.person: EntityRule(action: .anonymize, operator: "mask"),
                                       .age: EntityRule(action: .tag),
                                       .idNumber: EntityRule(action: .block)],
                               defaultRule: EntityRule(action: .alert))
    static let enforcement = PolicyEnforcement(policy: policy)

    /// Findings of `kind` at each occurrence of each value in `text`, scored `score`.
    static func findings(_ text: String, _ values: [(EntityKind, String, Double)]) -> [Finding] {
        let scalars = Array(text.unicodeScalars)
        return values.flatMap { kind, value, score in
            let needle = Array(value.unicodeScalars)
            return (0...(scalars.count - needle.count)).filter { Array(scalars[$0..<($0 + needle.count)]) == needle }.map {
                Finding(kind: kind, range: $0..<($0 + needle.count), score: score, explanation: Explanation(recognizer: "test"))
            }
        }
    }

    static func decide(_ text: String, _ values: [(EntityKind, String, Double)]) -> Decision {
        enforcement.decide(text, findings: findings(text, values), context: .text(text))
    }

    @Test func aRejectedValueIsKeptEverywhereItOccursAndOthersOfItsTypeAreNot() {
        let text = "患者 张三，陪同 李四。复诊：张三"
        let decision = Self.decide(text, [(.person, "张三", 0.9), (.person, "李四", 0.9)])
        #expect(decision.anonymized.count == 3)
        let review = ReviewVerdicts(rejected: [ReviewVerdicts.Value(kind: .person, text: "张三")])
        let reviewed = review.applied(to: decision, text: text, under: Self.enforcement)
        #expect(reviewed.anonymized.count == 1)
        #expect(reviewed.entries.filter { $0.action == .tag }.count == 2)
        #expect(reviewed.findings == decision.findings)
        // A rejection is by type: the same text found as another type is not touched.
        let other = ReviewVerdicts(rejected: [ReviewVerdicts.Value(kind: .age, text: "张三")])
        #expect(other.applied(to: decision, text: text, under: Self.enforcement) == decision)
    }

    @Test func anAcceptedValueIsAnonymizedWithThePolicysOperatorEvenUnderItsThreshold() {
        let text = "Age 45 years; seen at 45"
        let decision = Self.decide(text, [(.age, "45", 0.9), (.phoneNumber, "seen", 0.1)])
        #expect(decision.anonymized.isEmpty)
        let review = ReviewVerdicts(accepted: [ReviewVerdicts.Value(kind: .age, text: "45"), ReviewVerdicts.Value(kind: .phoneNumber, text: "seen")])
        let reviewed = review.applied(to: decision, text: text, under: Self.enforcement)
        #expect(reviewed.anonymized.count == 3)
        #expect(Set(reviewed.anonymized.map(\.operator)) == ["replace"])   // neither type has an anonymize rule, nor the default
        #expect(reviewed.action == .anonymize)
        // A person accepted gets the person rule's operator.
        #expect(Self.enforcement.anonymizeOperator(for: .person) == "mask")
    }

    @Test func aRejectionDoesNotLiftABlockAndWhitespaceDoesNotMakeAnotherValue() {
        let text = "ID 11010519491231002X\nname Wang\n  Wei"
        let decision = Self.decide(text, [(.idNumber, "11010519491231002X", 0.99), (.person, "Wang\n  Wei", 0.9)])
        #expect(decision.blocks)
        let review = ReviewVerdicts(rejected: [ReviewVerdicts.Value(kind: .idNumber, text: "11010519491231002X"),
                                               ReviewVerdicts.Value(kind: .person, text: "Wang Wei")])
        let reviewed = review.applied(to: decision, text: text, under: Self.enforcement)
        #expect(reviewed.blocks)
        #expect(reviewed.entries.first { $0.finding.kind == .person }?.action == .tag)
    }
}
