public import Core

extension Policy {
    /// The decision for one item.
    ///
    /// With the item's `text`, the policy first adds its own findings — site recognizers, deny-list values and,
    /// in default-deny mode, unexplained words — and drops allow-listed values. Then each finding gets the first
    /// of its type's rules whose conditions hold (else the default rule); one at or above that rule's threshold
    /// gets the rule's action; the item gets the strictest of them (`tag` when there are none). Alert-level
    /// findings raise alerts whatever the item's action.
    public func decide(_ detected: [Finding], in text: String? = nil, context: ItemContext = ItemContext()) -> Decision {
        let findings = text.map { considered(detected, in: $0) } ?? detected.sorted { $0.start < $1.start }
        var entries: [Decision.Entry] = []
        for finding in findings {
            let rule = rule(for: finding, in: context)
            guard finding.score >= rule.threshold else { continue }
            entries.append(Decision.Entry(finding: finding, action: rule.action, operator: rule.action == .anonymize ? rule.operator ?? "replace" : nil))
        }
        return Decision(policyVersion: version.description, policyName: name, findings: findings, entries: entries,
                        action: entries.map(\.action).max() ?? .tag)
    }

    /// The detectors' findings with the policy's own added and allow-listed values removed, sorted by start.
    func considered(_ detected: [Finding], in text: String) -> [Finding] {
        var added: [Finding] = recognizers.flatMap { $0.findings(in: text) }
        for (kind, entity) in entities.sorted(by: { $0.key < $1.key }) {
            for matcher in entity.deny {
                added += matcher.ranges(in: text).map {
                    Finding(kind: kind, range: $0, score: 1, explanation: Explanation(recognizer: "policy-deny", pattern: "deny list"))
                }
            }
        }
        var findings = Self.merge(detected, with: added)
        if mode == .defaultDeny {
            findings = Self.merge(findings, with: DefaultDeny(extraWords: clinicalWords).unexplained(in: text, around: findings))
        }
        if !allow.isEmpty || entities.values.contains(where: { !$0.allow.isEmpty }) {
            findings.removeAll { finding in
                let value = text.slice(codePoints: finding.range)
                return allow.contains { $0.matches(value) } || (entities[finding.kind]?.allow.contains { $0.matches(value) } ?? false)
            }
        }
        return findings.sorted { ($0.start, $1.end) < ($1.start, $0.end) }
    }

    /// `base` plus each of `added` that no base finding of equal or higher score overlaps; base findings an added
    /// one outscores are replaced by it.
    static func merge(_ base: [Finding], with added: [Finding]) -> [Finding] {
        var result = base
        for finding in added.sorted(by: { $0.score > $1.score }) {
            let overlapping = result.indices.filter { result[$0].range.overlaps(finding.range) }
            if overlapping.contains(where: { result[$0].score >= finding.score }) { continue }
            for index in overlapping.reversed() { result.remove(at: index) }
            result.append(finding)
        }
        return result
    }
}
