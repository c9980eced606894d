import ArgumentParser
import Core
import Foundation
import Policy
import Workflows

/// `medlocal redact-document`: a redacted copy of a PDF or image that looks like the original, verified.
struct RedactDocumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact-document",
        abstract: "Paint PHI out of a PDF or scanned image (text removed, black boxes), then verify the copy.",
        discussion: """
        Digital PDF pages lose the text under each box (copy and paste cannot recover it) and get a black box;
        scanned pages and image files have black boxes burned into their pixels. Annotations, form fields and
        metadata (info, XMP, outlines, attachments) are removed. The copy is then read again — text layer and OCR
        of every page — and scanned; PHI still found is listed (page, type, box; never values) and the command exits
        4 unless --allow-residual is given. A PDF is written as a PDF; an image as .pdf, .png, .jpg or .tif.
        """
    )

    @Argument(help: "A PDF or an image (PNG, JPEG, TIFF, BMP).")
    var input: String

    @Option(name: .shortAndLong, help: "The redacted copy (.pdf; for image inputs also .png, .jpg, .tif).")
    var output: String

    @OptionGroup var detection: DetectionOptions

    @Option(help: "A policy file or preset: only what it anonymizes is painted out; a block writes nothing and exits 3.")
    var policy: String?

    @Option(help: "The kind of document, for policy conditions (discharge_summary, lab_report, …).")
    var documentKind: String?

    @Option(help: "Write the report (boxes per page, verification) as JSON to this file.")
    var report: String?

    @Option(help: "Write a side-by-side PNG (original | redacted) per page into this folder, for review.")
    var preview: String?

    @Flag(help: "Skip the verification pass.")
    var noVerify = false

    @Flag(help: "Exit 0 even when verification still finds PHI (it is reported all the same).")
    var allowResidual = false

    @OptionGroup var audit: AuditOptions
    @OptionGroup var keyOptions: KeyOptions

    func validate() throws {
        guard FileManager.default.fileExists(atPath: input) else { throw ValidationError("\(input): no such file.") }
        guard (input as NSString).standardizingPath != (output as NSString).standardizingPath else {
            throw ValidationError("The output must not be the input: inputs are never modified.")
        }
    }

    func run() async throws {
        try Failure.guarding {
            var session = try policy.map { try PolicySession(policy: PolicyValidation.validate($0), operation: "redact-document",
                                                              audit: audit, keyOptions: keyOptions, documentKind: documentKind) }
            let base = try detection.textScan(defaultThreshold: 0.4)
            let progress = ProgressLine(total: 0)
            let redaction = DocumentRedaction(readers: DocumentReaders.current, scan: session?.enforcement.scan(from: base) ?? base) {
                progress.update($0, of: $1)
            }
            let sessionBox = SessionBox(session)
            let item = input
            let enforcement = session?.enforcement, kind = documentKind
            let outcome = try redaction.redact(input, displayName: input, to: output, verify: !noVerify, relevant: { text, findings in
                guard let enforcement else { return findings }
                return enforcement.decide(text, findings: findings, context: .text(text, documentKind: kind)).withheld
            }) { text, findings in
                try sessionBox.decide(text, findings: findings, item: item)
            }
            progress.finish()
            session = sessionBox.session
            guard let outcome else {
                try session?.finish()
                return
            }
            if let preview { try writePreviews(redaction, into: preview) }
            try finish(outcome)
            try session?.finish()
            if !outcome.residual.isEmpty, !allowResidual { throw ExitCode(ExitStatus.verificationFailed.rawValue) }
        }
    }

    private func finish(_ outcome: DocumentRedaction.Report) throws {
        let boxes = outcome.redacted.reduce(0) { $0 + $1.boxes.count }
        var line = "medlocal: \(output): \(boxes) boxes on \(outcome.redacted.count) of \(outcome.pages) pages"
        if outcome.verified {
            line += outcome.residual.isEmpty ? "; verified: no PHI found in the text layer or the OCR of the copy"
                : "; verification found \(outcome.residual.count) PHI items still readable:"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        for residual in outcome.residual {
            let box = residual.box.map { String(format: "%.0f", $0) }.joined(separator: ",")
            FileHandle.standardError.write(Data("  page \(residual.page) \(residual.type) at [\(box)] (\(residual.source))\n".utf8))
        }
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try AtomicFile.write(try encoder.encode(outcome), to: report)
        }
    }

    private func writePreviews(_ redaction: DocumentRedaction, into folder: String) throws {
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        let written = try DocumentPreview(readers: DocumentReaders.current).write(original: input, redacted: output, folder: folder, stem: stem)
        FileHandle.standardError.write(Data("medlocal: \(written.count) preview pages in \(folder)\n".utf8))
    }
}

/// Carries the policy session through the redaction's decision callback (called once, on this task).
private final class SessionBox: @unchecked Sendable {
    var session: PolicySession?
    init(_ session: PolicySession?) { self.session = session }

    func decide(_ text: String, findings: [Finding], item: String) throws -> [Finding]? {
        guard session != nil else { return findings }
        let decision = try session!.decide(text, findings: findings, item: item)
        return decision.blocks ? nil : decision.anonymized.map(\.finding)
    }
}
