import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal parse`: PDFs and DOCX files into Markdown, the JSON document model and FHIR.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse medical documents (PDF, DOCX) into Markdown, JSON and FHIR.",
        discussion: """
        Writes OUTDIR/<stem>.md, <stem>.json and <stem>.fhir.json per input (<stem>: the file name without its last
        extension). Folders are walked recursively and keep their sub-folders under OUTDIR. A file that fails does
        not stop the batch; failures are listed at the end and the exit code is 2.
        """
    )

    @Argument(help: "PDF or DOCX files, or folders to walk.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output folder (created when missing).")
    var output: String = ""

    @Option(help: "Comma-separated formats: md, json, fhir, phi (PHI findings with page boxes, no values).")
    var format: String = "md,json"

    @Option(help: "Files parsed at once (default: 1).")
    var jobs: Int = 1

    @Option(help: "A site table of section headings (canonical<TAB>heading lines) added to the built-in one.")
    var sectionTable: String?

    @Flag(help: "Put record numbers found in the basic information into FHIR Patient.identifier.")
    var fhirIdentifiers = false

    @Flag(help: "Do not OCR scanned pages and images (scanned pages stay empty, flagged needs_ocr).")
    var noOCR = false

    @Option(help: "Resolution scanned PDF pages are rendered at for OCR, in dpi (default: the scan's own, kept within 200–300).")
    var ocrDPI: Int?

    @Option(help: "Benchmark: parse the inputs this many times in memory on one thread, write nothing, print the median pages/s.")
    var benchmark: Int?

    func validate() throws {
        guard jobs >= 1, jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64.") }
        if let ocrDPI, !(72...600).contains(ocrDPI) { throw ValidationError("--ocr-dpi must be between 72 and 600.") }
        _ = try formats()
        if benchmark == nil, output.isEmpty { throw ValidationError("Missing -o OUTDIR: the folder the outputs are written to.") }
    }

    func run() async throws {
        if let benchmark { return try runBenchmark(runs: benchmark) }
        let started = Date()
        var batch = try Failure.guardingValue {
            try DocumentBatch(inputs: inputs, outputFolder: output, formats: try formats(), sectionTable: sectionTable,
                              fhirIdentifiers: fhirIdentifiers, readers: DocumentReaders.current)
        }
        batch.conversion.ocr = !noOCR
        if let ocrDPI { batch.conversion.ocrResolution = ocrDPI }
        // Files parsed side by side share the cores with their pages' OCR.
        batch.conversion.ocrJobs = max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
        for path in batch.plan.collisions {
            FileHandle.standardError.write(Data("medlocal: warning: \(path) shares its stem with another input; its outputs keep the extension.\n".utf8))
        }
        let progress = ProgressLine(total: batch.plan.items.count)
        if batch.plan.items.count == 1 {
            // One file: the bar follows its scanned pages instead.
            batch.conversion.progress = { done, total in progress.update(done, of: total) }
        }
        let files = batch.plan.items.count
        let report = await batch.run(jobs: jobs) { done in if files > 1 { progress.update(done) } }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data("medlocal: parsed \(report.succeeded) of \(batch.plan.items.count) files (\(report.pages) pages) in \(String(format: "%.2f", seconds)) s\n".utf8))
        if !report.failures.isEmpty {
            for failure in report.failures { FileHandle.standardError.write(Data("medlocal: failed: \(failure.message)\n".utf8)) }
            throw ExitCode(batch.plan.items.count == 1 ? ExitStatus.badInput.rawValue : ExitStatus.partialFailure.rawValue)
        }
    }

    private func runBenchmark(runs: Int) throws {
        try Failure.guarding {
            let batch = try DocumentBatch(inputs: inputs, outputFolder: "", formats: try formats(), sectionTable: sectionTable,
                                          readers: DocumentReaders.current)
            let result = try DocumentBenchmark(conversion: batch.conversion).run(batch.plan.items.map(\.input), runs: runs)
            let runs = result.seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")
            print("parse: \(batch.plan.items.count) files, \(result.pages) pages; runs (s): \(runs)")
            print(String(format: "parse: %.1f pages/s (median of %d runs, one thread)", result.medianPagesPerSecond, result.seconds.count))
        }
    }

    private func formats() throws -> [DocumentFormat] { try Self.formats(format) }

    /// `md,json,…` as formats; a usage error names the unknown one.
    static func formats(_ list: String) throws -> [DocumentFormat] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return try names.map { name in
            guard let format = DocumentFormat(rawValue: name == "markdown" ? "md" : name) else {
                throw ValidationError("Unknown format '\(name)'. Use md, json, fhir or phi (comma-separated).")
            }
            return format
        }
    }
}

/// A one-line progress bar on a terminal (nothing when stderr is not a terminal).
final class ProgressLine: @unchecked Sendable {
    // Progress may be reported from several worker threads (OCR pages); the lock serialises the drawing.
    private var total: Int
    private var drawn = false
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        update(done, of: nil)
    }

    func update(_ done: Int, of newTotal: Int?) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if let newTotal { total = newTotal }
        guard total > 1 else { return }
        let width = 30, filled = width * min(done, total) / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
        drawn = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }
}
