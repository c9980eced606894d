import ArgumentParser
import Core
import Foundation
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

    /// Files larger than this are streamed.
    static let streamingThreshold = 64 << 20

    func run() throws {
        try Failure.guarding { try scanAll() }
    }

    private func scanAll() throws {
        let scan = try detection.textScan()
        for source in files.isEmpty ? ["-"] : files {
            if input == .text, source != "-", stream || InputFiles.size(of: source) > Self.streamingThreshold {
                try scanStreaming(source, scan: scan)
                continue
            }
            let data = try InputFiles.read(source)
            switch input {
            case .jsonl:
                for document in try JSONLines.documents(in: data, source: source) {
                    let result = ScoredEntities(id: document.id, findings: scan.findings(in: document.text),
                                                text: showValues ? document.text : nil, explain: explain)
                    print(JSONLines.line(result))
                }
            case .text:
                let text = try TextDecoding.decode(data, source: source).text
                let findings = scan.findings(in: text)
                FindingsOutput.write(findings, in: text, source: source, format: format, showValues: showValues, explain: explain)
            }
        }
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
