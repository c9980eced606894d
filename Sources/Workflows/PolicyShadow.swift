public import Core
import Detection
import Foundation
public import Policy

/// Shadow testing before a policy version goes live: how its decisions differ from the current one's on a
/// corpus (`policy diff`), and what it leaks or over-redacts on a labelled corpus (`policy test`).
public enum PolicyShadow {
    /// `policy diff OLD NEW CORPUS`.
    public struct Diff: Sendable {
        public struct ItemChange: Sendable {
            public var id: String
            public var old: PolicyAction
            public var new: PolicyAction
        }

        public var items = 0
        /// Items whose action changes, newest blocks first.
        public var itemChanges: [ItemChange] = []
        /// Per type: "old → new" action changes of findings, counted.
        public var findingChanges: [String: [String: Int]] = [:]
        public var newlyBlocked: Int { itemChanges.filter { $0.new == .block && $0.old != .block }.count }
        public var noLongerBlocked: Int { itemChanges.filter { $0.old == .block && $0.new != .block }.count }
    }

    /// Decides every document under both policies, with one scan that serves both.
    public static func diff(old: Policy, new: Policy, documents: [CorpusDocument], scan base: TextScan) -> Diff {
        let oldEnforcement = PolicyEnforcement(policy: old), newEnforcement = PolicyEnforcement(policy: new)
        let oldScan = oldEnforcement.scan(from: base), newScan = newEnforcement.scan(from: base)
        let scan = TextScan(threshold: min(oldScan.options.threshold, newScan.options.threshold),
                            kinds: oldScan.options.kinds.union(newScan.options.kinds))
        var diff = Diff()
        for document in documents {
            let findings = scan.findings(in: document.text)
            let context = ItemContext.text(document.text)
            let before = oldEnforcement.decide(document.text, findings: findings, context: context)
            let after = newEnforcement.decide(document.text, findings: findings, context: context)
            diff.items += 1
            if before.action != after.action { diff.itemChanges.append(.init(id: document.id, old: before.action, new: after.action)) }
            let oldActions = actions(before), newActions = actions(after)
            for key in Set(oldActions.keys).union(newActions.keys) {
                let was = oldActions[key]?.rawValue ?? "none", now = newActions[key]?.rawValue ?? "none"
                if was != now { diff.findingChanges[key.kind.rawValue, default: [:]]["\(was) → \(now)", default: 0] += 1 }
            }
        }
        diff.itemChanges.sort { ($0.new == .block ? 0 : 1, $0.id) < ($1.new == .block ? 0 : 1, $1.id) }
        return diff
    }

    private struct FindingKey: Hashable {
        var kind: EntityKind
        var range: Range<Int>
    }

    private static func actions(_ decision: Decision) -> [FindingKey: PolicyAction] {
        var actions: [FindingKey: PolicyAction] = [:]
        for finding in decision.findings { actions[FindingKey(kind: finding.kind, range: finding.range)] = .tag }
        for entry in decision.entries { actions[FindingKey(kind: entry.finding.kind, range: entry.finding.range)] = entry.action }
        return actions
    }

    /// `policy test POLICY GOLD`.
    public struct Test: Sendable {
        /// Types the policy rewrites or blocks: a gold span of these left in the output is a leak.
        public var protectedTypes: [String]
        /// Types the policy keeps on purpose (tag, alert): not leaks, reported so the choice is visible.
        public var keptTypes: [String: Int]
        /// The policy's outputs scored on the protected types' gold spans.
        public var policy: PHIEvaluation.Report
        /// The engine alone (every finding at the policy's scan threshold rewritten), scored the same way.
        public var engine: PHIEvaluation.Report
        public var blockedDocuments: Int
        /// Rewritten code points outside any gold span.
        public var overRedactedCharacters: Int
    }

    public static func test(policy: Policy, documents: [CorpusDocument], scan base: TextScan) -> Test {
        let enforcement = PolicyEnforcement(policy: policy)
        let scan = enforcement.scan(from: base)
        let goldTypes = Set(documents.flatMap { ($0.entities ?? []).map(\.kind) })
        let protected = goldTypes.filter { policy.rule(for: $0).action >= .anonymize }
        var kept: [String: Int] = [:]
        var restricted: [CorpusDocument] = []
        var policyPredictions: [String: [Finding]] = [:], enginePredictions: [String: [Finding]] = [:]
        var blocked = 0
        for document in documents {
            var gold = document
            gold.entities = (document.entities ?? []).filter { protected.contains($0.kind) }
            for entity in document.entities ?? [] where !protected.contains(entity.kind) { kept[entity.kind.rawValue, default: 0] += 1 }
            restricted.append(gold)
            let findings = scan.findings(in: document.text)
            enginePredictions[document.id] = findings
            let decision = enforcement.decide(document.text, findings: findings, context: .text(document.text))
            if decision.blocks {
                blocked += 1   // nothing is output: every span is protected
                let whole = Finding(kind: EntityKind("BLOCKED"), range: 0..<document.text.unicodeScalars.count, score: 1,
                                    explanation: Explanation(recognizer: "policy-block"))
                policyPredictions[document.id] = [whole]
            } else {
                policyPredictions[document.id] = decision.anonymized.map(\.finding)
            }
        }
        let evaluation = PHIEvaluation()
        let policyReport = evaluation.score(restricted, predictions: policyPredictions, threshold: 0)
        let engineReport = evaluation.score(restricted, predictions: enginePredictions, threshold: 0)
        let over = policyReport.overall.predictedChars - policyReport.overall.predictedCharsInGold
        return Test(protectedTypes: protected.map(\.rawValue).sorted(), keptTypes: kept, policy: policyReport, engine: engineReport,
                    blockedDocuments: blocked, overRedactedCharacters: over)
    }
}
