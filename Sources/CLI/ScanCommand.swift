import ArgumentParser
import Core
import Foundation
import Policy
import Workflows

/// `medlocal scan`: findings for text files, stdin, or a JSON-lines corpus.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find PHI in text files or standard input.",
        discussion: "With --input jsonl, reads lines {\"id\",\"text\"} and writes lines {\"id\",\"entities\":[…]} as phi-score reads them."
    )

    @Argument(help: "Text files to scan; '-' or nothing reads standard input.")
    var files: [String] = []

    @OptionGroup var detection: DetectionOptions

    @Option(help: "Output format: table, json or jsonl.")
    var format: OutputFormat = .table

    @Option(help: "Input format: text (default) or jsonl.")
    var input: InputFormat = .text

    @Flag(help: "Include the matched values in the output (they are PHI).")
    var showValues = false

    @Flag(help: "Include each finding's explanation.")
    var explain = false

    @Flag(help: "Stream UTF-8 files in bounded memory (automatic above 64 MiB); values are not shown.")
    var stream = false

    @Option(help: "A policy file or preset: findings are decided (tag, alert, anonymize, block), audited, and blocked items exit 3.")
    var policy: String?

    @Option(help: "The kind of document, for policy conditions (discharge_summary, lab_report, …).")
    var documentKind: String?

    @OptionGroup var audit: AuditOptions
    @OptionGroup var keyOptions: KeyOptions

    /// Files larger than this are streamed.
    static let streamingThreshold = 64 << 20

    func run() throws {
        try Failure.guarding { try scanAll() }
    }

    private func scanAll() throws {
        var session = try policy.map { try PolicySession(policy: PolicyValidation.validate($0), operation: "scan", audit: audit,
                                                          keyOptions: keyOptions, documentKind: documentKind) }
        let base = try detection.textScan()
        let scan = session?.enforcement.scan(from: base) ?? base
        /// The findings to report for one item, or nil when the policy blocks it.
        func findings(in text: String, item: String) throws -> [Finding]? {
            let found = scan.findings(in: text)
            guard session != nil else { return found }
            let decision = try session!.decide(text, findings: found, item: item)
            return decision.blocks ? nil : decision.findings
        }
        for source in files.isEmpty ? ["-"] : files {
            if input == .text, source != "-", stream || InputFiles.size(of: source) > Self.streamingThreshold {
                if policy != nil { throw ValidationError("--policy does not work with streaming yet (\(source) is over 64 MiB or --stream was given); split the file.") }
                try scanStreaming(source, scan: scan)
                continue
            }
            let data = try InputFiles.read(source)
            switch input {
            case .jsonl:
                for document in try JSONLines.documents(in: data, source: source) {
                    guard let found = try findings(in: document.text, item: source + "#" + document.id) else { continue }
                    let result = ScoredEntities(id: document.id, findings: found, text: showValues ? document.text : nil, explain: explain)
                    print(JSONLines.line(result))
                }
            case .text:
                let text = try TextDecoding.decode(data, source: source).text
                guard let found = try findings(in: text, item: source) else { continue }
                FindingsOutput.write(found, in: text, source: source, format: format, showValues: showValues, explain: explain)
            }
        }
        try session?.finish()
    }
}

extension ScanCommand {
    /// Bounded-memory scan of a large UTF-8 file: two passes over it, findings printed at the end.
    private func scanStreaming(_ source: String, scan: TextScan) throws {
        if showValues {
            throw ValidationError("--show-values is not available when streaming \(source); scan it without --stream, or split it.")
        }
        var writer = FindingsOutput.Incremental(source: source, format: format, explain: explain)
        try scan.streamFindings(ofFile: source) { writer.write($0) }
        writer.finish()
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}

enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}
