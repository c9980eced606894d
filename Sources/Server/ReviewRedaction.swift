import Audit
import Core
import Documents
import Foundation
import HTTPTypes
import Policy
import Service
import Workflows

/// A job's review carried out: the Markdown and — for a job that made a redacted copy — the document redacted
/// again under the active policy with the reviewer's verdicts applied (`ReviewVerdicts`: a rejected value stays, an
/// accepted one goes even where the policy only tags it). The outputs are `result.reviewed.md`, and
/// `result.reviewed.pdf` with its report `result.reviewed.json`; they are added to the job's outputs, the originals
/// stay, and a second review replaces them.
struct ReviewRedaction: Sendable {
    static let markdownName = "result.reviewed.md", documentName = "result.reviewed.pdf", reportName = "result.reviewed.json"

    let readers: DocumentReaders
    let files: JobFiles
    let jobs: any JobStore
    let policies: ActivePolicy
    let committer: AuditCommitter

    struct Summary: Encodable {
        var outputs: [String]
        var rejected: Int
        var accepted: Int
        /// PHI the verification pass still found in the reviewed copy (nil: no copy was made).
        var residual: Int?
        var policy: String
    }

    func apply(_ job: Job, verdicts: [String: ReviewStore.Verdict], actor: String) async throws -> Summary {
        guard let listed = try ReviewFindings.stored(for: job, in: files), job.outputs.contains("result.md"),
              let markdownData = try files.contents(job.id, output: "result.md")
        else { throw Problem(.conflict, "no-findings", "job \(job.id) has no reviewed findings to apply (it needs the md format and to have succeeded)") }
        defer { files.discardWorkspace(job.id) }
        let markdown = String(decoding: markdownData, as: UTF8.self)
        let review = Self.verdicts(verdicts, findings: listed.findings, markdown: markdown)
        let processing = policies.current
        let enforcement = processing.enforcement
        let decision = review.applied(to: processing.decide(markdown, documentKind: nil, source: "document"), text: markdown, under: enforcement)
        if decision.blocks {
            throw Problem(.conflict, "blocked", "the active policy (\(ActivePolicy.label(decision))) blocks job \(job.id)'s document; nothing was written")
        }
        var redaction = processing.redaction
        let reviewedMarkdown = try redaction.redact(markdown, decision: decision).text
        try AtomicFile.write(Data(reviewedMarkdown.utf8), to: files.workOutput(job.id, Self.markdownName))
        var outputs = [Self.markdownName]
        var residual: Int?
        if job.outputs.contains("result.redacted.pdf"), let input = try files.plaintextInput(job.id) {
            let report = try await Blocking.run { try self.redactDocument(job, input: input, review: review, processing: processing) }
            outputs += [Self.documentName, Self.reportName]
            residual = report.residual.count
        }
        try files.keepOutputs(job.id)
        guard try jobs.addOutputs(id: job.id, outputs) else { throw Problem(.conflict, "gone", "job \(job.id) changed while its review was applied") }
        try await committer.commit(processing.trail.event(actor: actor, operation: "job.review.apply", item: job.id, input: markdownData,
                                                          output: Data(reviewedMarkdown.utf8), decision: decision, findings: decision.findings))
        return Summary(outputs: outputs, rejected: review.rejected.count, accepted: review.accepted.count, residual: residual,
                       policy: ActivePolicy.label(decision))
    }

    /// The verdicts as values of `markdown` (the text the findings' offsets count in); unknown indexes are ignored.
    static func verdicts(_ verdicts: [String: ReviewStore.Verdict], findings: [ReviewFindings.Item], markdown: String) -> ReviewVerdicts {
        let scalars = Array(markdown.unicodeScalars)
        var review = ReviewVerdicts()
        for (index, verdict) in verdicts {
            guard let index = Int(index), findings.indices.contains(index) else { continue }
            let item = findings[index]
            let value = ReviewVerdicts.Value(kind: EntityKind(item.type), range: item.start..<max(item.start, item.end), in: scalars)
            switch verdict {
            case .rejected: review.rejected.insert(value)
            case .accepted: review.accepted.insert(value)
            case .open: break
            }
        }
        return review
    }

    private func redactDocument(_ job: Job, input: String, review: ReviewVerdicts, processing: TextProcessing) throws -> DocumentRedaction.Report {
        let enforcement = processing.enforcement
        let decide = { @Sendable (text: String, findings: [Finding]) -> Decision in
            review.applied(to: enforcement.decide(text, findings: findings, context: .text(text, source: "document")), text: text, under: enforcement)
        }
        let redaction = DocumentRedaction(readers: readers, scan: processing.scan)
        let report = try redaction.redact(input, displayName: job.inputName, to: files.workOutput(job.id, Self.documentName), relevant: { text, findings in
            decide(text, findings).withheld
        }) { text, findings in
            let decision = decide(text, findings)
            return decision.blocks ? nil : decision.anonymized.map(\.finding)
        }
        guard let report else { throw Problem(.conflict, "blocked", "the active policy blocks job \(job.id)'s document; nothing was written") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(report), to: files.workOutput(job.id, Self.reportName))
        return report
    }
}
