import ArgumentParser
import Core
import Detection
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

    func run() throws {
        try Failure.guarding { try scanAll() }
    }

    private func scanAll() throws {
        let scan = try detection.textScan()
        for source in files.isEmpty ? ["-"] : files {
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

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}

enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}
