import ArgumentParser
import Core
import Foundation
import Policy
import Workflows

/// A command's run under `--policy`: decisions recorded in the audit log, alerts and blocks reported on stderr
/// (types and positions, never values) and queued for webhooks, and a closing summary.
struct PolicySession {
    let enforcement: PolicyEnforcement
    let recorder: PolicyRecorder
    let documentKind: String?
    private(set) var blocked = 0

    init(policy: Policy, operation: String, audit: AuditOptions, keyOptions: KeyOptions, documentKind: String?) throws {
        enforcement = PolicyEnforcement(policy: policy)
        recorder = try PolicyRecorder(policy: policy, location: audit.location, key: try audit.key(keyOptions), actor: audit.actorName, operation: operation)
        self.documentKind = documentKind
    }

    func context(for text: String) -> ItemContext { .text(text, documentKind: documentKind) }

    /// Decides, records and reports one item.
    mutating func decide(_ text: String, findings: [Finding], item: String) throws -> Decision {
        let decision = enforcement.decide(text, findings: findings, context: context(for: text))
        try record(decision, item: item, input: text, output: nil)
        return decision
    }

    /// Records a decision already made (redact makes its own) with the output it led to.
    mutating func record(_ decision: Decision, item: String, input: String, output: String?) throws {
        for event in try recorder.record(item: item, input: input, output: output, decision: decision) where event.event == "alert" {
            let types = event.entityTypes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("medlocal: alert (policy \(decision.policyVersion)) in \(Self.name(item)): \(types)\n".utf8))
        }
        if decision.blocks {
            blocked += 1
            FileHandle.standardError.write(Data("medlocal: \(Self.name(item)): \(PolicyBlock(decision: decision))\n".utf8))
        }
    }

    /// Closes the audit chain with a checkpoint, tries the webhooks, and exits 3 when any item was blocked.
    func finish() throws {
        let summary = try recorder.finish()
        var line = "medlocal: policy \(recorder.policy.name ?? "") \(recorder.policy.version): \(summary.items) items audited, \(summary.alerts) with alerts, \(summary.blocks) blocked"
        if summary.webhooksDelivered + summary.webhooksPending > 0 {
            line += "; webhooks delivered \(summary.webhooksDelivered), pending \(summary.webhooksPending) (kept in the outbox; `medlocal webhooks retry`)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        if blocked > 0 { throw ExitCode(ExitStatus.blockedByPolicy.rawValue) }
    }

    private static func name(_ item: String) -> String { item == "-" ? "standard input" : item }
}
