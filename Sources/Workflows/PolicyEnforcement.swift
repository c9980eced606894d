public import Anonymization
public import Core
import Detection
public import Policy

/// A policy applied to text items: the decision for an item, and the operator each anonymized finding gets.
public struct PolicyEnforcement: Sendable {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    public func decide(_ text: String, findings: [Finding], context: ItemContext) -> Decision {
        policy.decide(findings, in: text, context: context)
    }

    /// Every anonymize rule's operator parsed once (the loader has checked them, so this fails only for a policy
    /// built in code).
    public func operatorPlan() throws -> OperatorPlan {
        var plan = OperatorPlan()
        for (kind, text) in policy.anonymizeOperators {
            let spec = try OperatorSpec(parsing: text)
            if let kind { plan.perKind[kind] = plan.perKind[kind] ?? spec } else { plan.fallback = spec }
        }
        return plan
    }

    /// The operator of each finding the decision anonymizes.
    public func operators(for decision: Decision) throws -> [Finding: OperatorSpec] {
        var operators: [Finding: OperatorSpec] = [:]
        for entry in decision.anonymized { operators[entry.finding] = try OperatorSpec(parsing: entry.operator ?? "replace") }
        return operators
    }
}

extension PolicyEnforcement {
    /// The scan a policy needs: every type it names (DEVICE_ID included when it does), and findings down to its
    /// lowest threshold — the policy, not the scanner, decides what is too weak to act on.
    public func scan(from base: TextScan) -> TextScan {
        var thresholds = policy.entities.values.flatMap { $0.rules.map(\.threshold) } + [policy.defaultRule.threshold]
        thresholds += policy.entities.values.flatMap { $0.rules.compactMap { $0.conditions?.minScore } }
        var kinds = base.options.kinds
        kinds.formUnion(policy.entities.keys.filter { EntityKind.all.contains($0) })
        return TextScan(threshold: min(base.options.threshold, thresholds.min() ?? 0.5), kinds: kinds)
    }
}

extension ItemContext {
    /// The context of a text item: its language told from its letters (mostly Han characters: zh).
    public static func text(_ text: String, documentKind: String? = nil, source: String = "text") -> ItemContext {
        var han = 0, latin = 0
        for scalar in text.unicodeScalars.prefix(4000) {
            // ASCII letters by range: a Unicode property lookup per character showed in the server's profile.
            if (0x4E00...0x9FFF).contains(scalar.value) { han += 1 } else if (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value) { latin += 1 }
        }
        // A Han character carries about as much as a short word, so weigh it against words, not letters.
        let language: Language? = han + latin == 0 ? nil : (han * 4 >= latin ? .zh : .en)
        return ItemContext(documentKind: documentKind, language: language, source: source)
    }
}
