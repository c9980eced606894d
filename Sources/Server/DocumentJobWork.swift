import Core
import Documents
import Foundation
import Policy
import Service
import Workflows

/// A document job: the upload parsed into the requested formats (`result.md`, `result.json`, `result.fhir.json`,
/// Markdown images under `result_images/`), and with `redact=true` a copy painted out under the server's policy
/// (`result.redacted.pdf`, its report `result.redaction.json`). Each output is written to a temporary name and
/// renamed. A bad input or a policy block fails the job at once with the reason; each run is audited.
struct DocumentJobWork: JobWork {
    let readers: DocumentReaders
    let files: JobFiles
    let policies: ActivePolicy
    let committer: AuditCommitter
    let metrics: ServerMetrics
    let users: any UserStore

    func discard(_ job: Job) { files.remove(job.id) }

    func run(_ job: Job, progress: JobProgress) async throws -> [String] {
        let options = DocumentJobOptions(job: job)
        let processing = policies.current   // one policy for the whole job
        guard let inputPath = try files.plaintextInput(job.id) else { throw JobFailure(reason: "the uploaded file is no longer stored") }
        defer { files.discardWorkspace(job.id) }
        let outcome: Outcome
        do {
            outcome = try await Blocking.run { try self.produce(job, input: inputPath, options: options, processing: processing, progress: progress) }
        } catch let error as DocumentError {
            throw JobFailure(reason: error.description)
        } catch let error as InputError {
            throw JobFailure(reason: error.description)
        }
        metrics.countDocument(pages: outcome.pages)
        let actor = users.ownerName(of: job)
        let inputData = (try? Data(contentsOf: URL(fileURLWithPath: inputPath), options: .mappedIfSafe)) ?? Data()
        if let decision = outcome.decision { metrics.countFindings(decision.findings.map(\.kind.rawValue), blocked: decision.blocks) }
        let event = processing.trail.event(actor: actor, operation: options.redact ? "job.document.redact" : "job.document.parse",
                                           item: job.id, input: inputData, output: nil, decision: outcome.decision,
                                           findings: outcome.decision?.findings ?? [])
        try await committer.commit(event)
        if let decision = outcome.decision { try policies.webhooks.raise(decision, recorded: event, under: processing) }
        if let decision = outcome.decision, decision.blocks {
            try? FileManager.default.removeItem(atPath: files.workOutputs(job.id))
            throw JobFailure(reason: PolicyBlock(decision: decision).description + "; nothing was written")
        }
        try files.keepOutputs(job.id)
        return outcome.outputs
    }

    /// Pages shown in the browser beside the Markdown and in the redaction preview; later pages are in the
    /// downloads only.
    static let pageImageLimit = 100

    /// Pictures for the browser, `folder/<name>` under the outputs; none for a DOCX or when they cannot be made
    /// (the job's real outputs do not depend on them).
    private func pageImages(_ job: Job, folder: String, _ write: (DocumentPreview, String) throws -> [String]) -> [String] {
        guard readers.imageWriter != nil else { return [] }
        let path = files.workOutput(job.id, folder)
        do {
            return try write(DocumentPreview(readers: readers), path).map { folder + "/" + $0 }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            return []
        }
    }

    private struct Outcome: Sendable {
        var outputs: [String]
        var pages: Int
        var decision: Decision?
    }

    private func produce(_ job: Job, input: String, options: DocumentJobOptions, processing: TextProcessing, progress: JobProgress) throws -> Outcome {
        let reporter: @Sendable (Int, Int) -> Void = { done, total in progress.update(done, total) }
        var outputs: [String] = []
        var pages = 0
        var decision: Decision?
        if !options.formats.isEmpty {
            let conversion = DocumentConversion(readers: readers, formats: options.formats, ocr: options.ocr, progress: reporter)
            let parsed = try conversion.parse(input, displayName: job.inputName)
            pages = parsed.document.pages.count
            // The policy sees the document's text first: a block means no output at all.
            let made = processing.decide(DocumentText(parsed.document).text, documentKind: nil, source: "document")
            decision = made
            if made.blocks { return Outcome(outputs: [], pages: pages, decision: made) }
            for output in try conversion.render(parsed, baseName: "result") {
                let name = "result" + output.suffix
                try AtomicFile.write(output.data, to: files.workOutput(job.id, name))
                outputs.append(name)
                if name == "result.md" {
                    let findings = ReviewFindings(source: name, decision: processing.decide(String(decoding: output.data, as: UTF8.self), documentKind: nil, source: "document"))
                    try AtomicFile.write(try findings.encoded(), to: files.workOutput(job.id, ReviewFindings.fileName))
                    outputs.append(ReviewFindings.fileName)
                }
            }
            outputs += pageImages(job, folder: "result_pages") { preview, folder in
                try preview.writePages(of: input, folder: folder, stem: "page", limit: Self.pageImageLimit)
            }
        }
        if progress.isStopped { throw JobFailure(reason: "cancelled") }
        if options.redact {
            let enforcement = processing.enforcement
            let redaction = DocumentRedaction(readers: readers, scan: processing.scan, progress: reporter)
            let decided = DecisionBox()
            let report = try redaction.redact(input, displayName: job.inputName, to: files.workOutput(job.id, "result.redacted.pdf"), relevant: { text, findings in
                enforcement.decide(text, findings: findings, context: .text(text, source: "document")).withheld
            }) { text, findings in
                let made = enforcement.decide(text, findings: findings, context: .text(text, source: "document"))
                decided.decision = made
                return made.blocks ? nil : made.anonymized.map(\.finding)
            }
            decision = decided.decision ?? decision
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                try AtomicFile.write(try encoder.encode(report), to: files.workOutput(job.id, "result.redaction.json"))
                outputs += ["result.redacted.pdf", "result.redaction.json"]
                pages = max(pages, report.pages)
                outputs += pageImages(job, folder: "result_preview") { preview, folder in
                    try preview.write(original: input, redacted: files.workOutput(job.id, "result.redacted.pdf"), folder: folder, stem: "result")
                        .prefix(Self.pageImageLimit).map { ($0 as NSString).lastPathComponent }
                }
            }
        }
        return Outcome(outputs: outputs, pages: pages, decision: decision)
    }
}

/// Carries the policy's decision out of the redaction's decide callback (called once, on this thread).
private final class DecisionBox: @unchecked Sendable {
    var decision: Decision?
}
