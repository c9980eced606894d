import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal redact`: de-identify text files or standard input.
struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Rewrite PHI in text with per-type operators.",
        discussion: """
        Operators: mask[:C[:KEEP]], redact, replace[:TEXT], hash, encrypt, pseudonymize, date-shift.
        Example: --operator PERSON=pseudonymize --operator DATE=date-shift --operator default=mask
        """
    )

    @Argument(help: "Text files; '-' or nothing reads standard input.")
    var files: [String] = []

    @Option(name: .shortAndLong, help: "Output file (one input) or folder (several inputs). Default: standard output.")
    var output: String?

    @Option(name: .customLong("operator"), help: "TYPE=OPERATOR, repeatable; 'default=…' for the rest (default: replace).")
    var operators: [String] = []

    @Option(help: "Patient identifier for date shifting (default: the resident ID or MRN found in each item).")
    var patientID: String?

    @Option(help: "Input format: text (default) or jsonl ({\"id\",\"text\"} lines in, {\"id\",\"text\"} lines out).")
    var input: InputFormat = .text

    @Flag(help: "Also print a table of the findings (types and offsets, no values).")
    var showFindings = false

    @Flag(help: "Stream UTF-8 files in bounded memory (automatic above 64 MiB); dates shift by --patient-id or one offset per file.")
    var stream = false

    @Option(help: "A policy file: its rules decide what is rewritten and which items are blocked (exit 3, no output).")
    var policy: String?

    @Option(help: "The kind of document, for policy conditions (discharge_summary, lab_report, …).")
    var documentKind: String?

    @OptionGroup var detection: DetectionOptions
    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var audit: AuditOptions

    func run() throws {
        try Failure.guarding {
            if policy != nil, !operators.isEmpty { throw OutputError(message: "Use --policy or --operator, not both: the policy names the operators.") }
            if policy != nil, stream { throw OutputError(message: "--policy does not work with --stream yet; redact the file whole.") }
            let loaded = try policy.map(PolicyValidation.validate)
            var session = try loaded.map { try PolicySession(policy: $0, operation: "redact", audit: audit, keyOptions: keyOptions, documentKind: documentKind) }
            let base = try detection.textScan()
            var redaction = try TextRedaction(scan: session?.enforcement.scan(from: base) ?? base, operators: operators, keyPath: keyOptions.path,
                                              patientID: patientID, policy: loaded)
            let sources = files.isEmpty ? ["-"] : files
            if sources.count > 1, let output, !isDirectory(output) {
                throw OutputError(message: "\(output): with several inputs, -o must be an existing folder.")
            }
            var failed: [String] = []
            for source in sources {
                do {
                    if input == .text, source != "-", stream || InputFiles.size(of: source) > ScanCommand.streamingThreshold {
                        let target = output.map { sources.count > 1 ? ($0 as NSString).appendingPathComponent((source as NSString).lastPathComponent) : $0 }
                        try redactStreaming(source, to: target, inputs: sources, &redaction)
                        continue
                    }
                    let rendered = try redact(source, &redaction, &session)
                    if let output {
                        let target = sources.count > 1 ? (output as NSString).appendingPathComponent((source as NSString).lastPathComponent) : output
                        try OutputFiles.write(rendered, to: target, inputs: sources)
                    } else {
                        print(rendered, terminator: rendered.hasSuffix("\n") ? "" : "\n")
                    }
                } catch let error as InputError where sources.count > 1 {
                    failed.append(source)
                    FileHandle.standardError.write(Data("medlocal: \(error.message)\n".utf8))
                } catch is PolicyBlock {
                    continue   // reported and audited by the session; nothing written
                }
            }
            try session?.finish()
            if !failed.isEmpty {
                FileHandle.standardError.write(Data("medlocal: \(failed.count) of \(sources.count) inputs failed: \(failed.joined(separator: ", "))\n".utf8))
                throw ExitCode(ExitStatus.partialFailure.rawValue)
            }
        }
    }

    /// One item redacted; under a policy, its decision is audited (a block with no output, and rethrown).
    private func redactItem(_ text: String, item: String, _ redaction: inout TextRedaction, _ session: inout PolicySession?) throws -> TextDeidentification.Result {
        guard session != nil else { return try redaction.redact(text) }
        do {
            let result = try redaction.redact(text, context: session!.context(for: text))
            if let decision = result.decision { try session!.record(decision, item: item, input: text, output: result.text) }
            return result
        } catch let block as PolicyBlock {
            try session!.record(block.decision, item: item, input: text, output: nil)
            throw block
        }
    }

    private func redact(_ source: String, _ redaction: inout TextRedaction, _ session: inout PolicySession?) throws -> String {
        let data = try InputFiles.read(source)
        switch input {
        case .jsonl:
            // One blocked record blocks the file: a partial file would look complete.
            return try JSONLines.documents(in: data, source: source).map { document in
                let result = try redactItem(document.text, item: source + "#" + document.id, &redaction, &session)
                return JSONLines.line(["id": document.id, "text": result.text])
            }.joined(separator: "\n") + "\n"
        case .text:
            let text = try TextDecoding.decode(data, source: source).text
            let result = try redactItem(text, item: source, &redaction, &session)
            if showFindings {
                let table = FindingsOutput.table(result.findings, in: text, showValues: false, explain: false)
                return result.text + (result.text.hasSuffix("\n") ? "" : "\n") + "\n" + table + "\n"
            }
            return result.text
        }
    }

    /// Bounded-memory redaction: output written as it is produced, to a temporary file renamed at the end.
    private func redactStreaming(_ source: String, to target: String?, inputs: [String], _ redaction: inout TextRedaction) throws {
        guard let target else {
            _ = try redaction.redactStream(file: source) { print($0, terminator: "") }
            return
        }
        try OutputFiles.writeStreaming(to: target, inputs: inputs) { handle in
            _ = try redaction.redactStream(file: source) { handle.write(Data($0.utf8)) }
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
