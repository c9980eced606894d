public import Anonymization
import Core
import Foundation
public import Policy

/// The "redact a batch of texts" use case as the shells drive it: parse the operator plan, load the key
/// only when an operator needs it, and keep pseudonyms consistent and unique across the batch.
public struct TextRedaction: Sendable {
    public let deidentification: TextDeidentification
    public let key: ProjectKey?
    public var patientID: String?
    private var pseudonyms = PseudonymTable()

    /// - Parameters:
    ///   - operators: `TYPE=OPERATOR` assignments (`default=…` for the rest).
    ///   - keyPath: the project key file, read only if an operator needs the key.
    /// - Throws: `OperatorError` for an unknown operator, `KeyError` when a needed key cannot be read.
    public init(scan: TextScan, operators: [String], keyPath: String, patientID: String?, policy: Policy? = nil) throws {
        enforcement = policy.map(PolicyEnforcement.init)
        let plan = try enforcement?.operatorPlan() ?? OperatorPlan(assignments: operators)
        key = plan.needsKey ? try ProjectKey.load(from: keyPath) : nil
        deidentification = TextDeidentification(scan: scan, plan: plan)
        self.patientID = patientID
    }

    /// With a policy, its decision picks what is rewritten (anonymize-level findings, each with its rule's
    /// operator) and whether the item is output at all.
    public let enforcement: PolicyEnforcement?
    public var policy: Policy? { enforcement?.policy }

    /// De-identifies one item of the batch.
    /// - Throws: ``PolicyBlock`` when the policy blocks the item (nothing may be output for it).
    public mutating func redact(_ text: String, context: ItemContext = ItemContext(source: "text")) throws -> TextDeidentification.Result {
        guard let enforcement else { return try deidentification.deidentify(text, key: key, patientID: patientID, pseudonyms: &pseudonyms) }
        return try redact(text, decision: enforcement.decide(text, findings: deidentification.scan.findings(in: text), context: context))
    }

    /// De-identifies `text` as `decision` says (a policy's decision, perhaps changed by a review).
    /// - Throws: ``PolicyBlock`` when the decision blocks the item.
    public mutating func redact(_ text: String, decision: Decision) throws -> TextDeidentification.Result {
        if decision.blocks { throw PolicyBlock(decision: decision) }
        let operators = try enforcement?.operators(for: decision) ?? [:]
        var result = try deidentification.deidentify(text, findings: decision.anonymized.map(\.finding), operators: operators,
                                                     key: key, patientID: patientID, pseudonyms: &pseudonyms)
        result.findings = decision.findings
        result.decision = decision
        return result
    }
}

extension TextRedaction {
    /// Redacts a UTF-8 file too large to hold, in bounded memory: findings arrive core by core (two passes)
    /// while a third pass reads the original text alongside and hands it to `write` with its replacements.
    /// Dates shift by `patientID`, else by one offset for the whole file.
    /// - Returns: the number of findings rewritten.
    public mutating func redactStream(file path: String, write: (String) throws -> Void) throws -> Int {
        let (reader, readerFailure) = try TextFileBlocks(path: path).makeIterator()
        var pending: [Unicode.Scalar] = []   // original code points from `pendingStart`
        var pendingStart = 0, cursor = 0, rewritten = 0
        var exhausted = false
        func fill(upTo end: Int) {
            while !exhausted && pendingStart + pending.count < end {
                if let block = reader.next() { pending += block.unicodeScalars } else { exhausted = true }
            }
        }
        func flush(upTo end: Int, findings: [Finding]) throws {
            fill(upTo: end)
            let segmentEnd = min(end, pendingStart + pending.count)
            guard segmentEnd > cursor else { return }
            let segment = String(String.UnicodeScalarView(pending[(cursor - pendingStart)..<(segmentEnd - pendingStart)]))
            let local = findings.filter { $0.start >= cursor && $0.end <= segmentEnd }.map { f -> Finding in
                var f = f
                f.range = (f.start - cursor)..<(f.end - cursor)
                return f
            }
            var context = AnonymizationContext(key: key, patientID: patientID ?? "file:" + path, pseudonyms: pseudonyms)
            let output = try deidentification.anonymizer.anonymize(segment, findings: local, context: &context)
            pseudonyms = context.pseudonyms
            try write(output.text)
            rewritten += local.count
            pending.removeFirst(segmentEnd - pendingStart)
            pendingStart = segmentEnd
            cursor = segmentEnd
        }
        try deidentification.scan.streamFindingsByCore(ofFile: path) { core, findings in
            try flush(upTo: max(core.upperBound, findings.map { $0.end }.max() ?? 0), findings: findings)
        }
        try flush(upTo: Int.max, findings: [])
        if let failure = readerFailure() { throw failure }
        return rewritten
    }
}

/// Project key files for the shells.
public enum KeyFiles {
    /// Creates a new key file (mode 0600); never overwrites unless `overwrite`.
    public static func create(at path: String, overwrite: Bool) throws {
        try ProjectKey.generate().write(to: path, overwrite: overwrite)
    }

    /// Reverses the `encrypt` operator in `text` with the key at `path`.
    public static func restore(_ text: String, keyPath: String) throws -> String {
        try Restorer.restore(text, key: ProjectKey.load(from: keyPath)).text
    }
}

/// A policy refused an item: its reason names the policy version and the blocking findings by type and position.
public struct PolicyBlock: Error, Sendable, CustomStringConvertible {
    public let decision: Decision

    public init(decision: Decision) {
        self.decision = decision
    }

    public var description: String {
        let blocking = decision.entries.filter { $0.action == .block }
            .map { "\($0.finding.kind.rawValue) at \($0.finding.start)..<\($0.finding.end)" }
        return "blocked by policy \(decision.policyVersion): " + blocking.joined(separator: ", ")
    }
}
