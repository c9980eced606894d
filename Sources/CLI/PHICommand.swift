import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal phi`: evaluation and benchmarking of detection.
struct PHICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phi", abstract: "Evaluate and benchmark PHI detection.", subcommands: [EvaluateCommand.self, BenchCommand.self])
}

/// `medlocal phi evaluate GOLD.jsonl`: how well detection does on a labelled sample.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score detection on a labelled corpus ({\"id\",\"text\",\"entities\"} lines).",
        discussion: "With --sweep, prints leak rate (FNR) against precision loss per threshold and recommends a threshold per type."
    )

    @Argument(help: "Gold corpus in JSON lines.")
    var gold: String

    @Flag(help: "Sweep thresholds 0.00…1.00.")
    var sweep = false

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: "Character recall a recommended threshold must keep (with --sweep).")
    var targetRecall = 0.995

    @Option(help: "List up to N documents with leaked PHI.")
    var listLeaks = 10

    @OptionGroup var detection: DetectionOptions

    func run() throws {
        try Failure.guarding {
            let documents = try JSONLines.documents(in: try InputFiles.read(gold), source: gold)
            guard documents.contains(where: { $0.entities != nil }) else {
                throw InputError(.missingKey, "\(gold): no line has \"entities\"; evaluation needs a labelled corpus.")
            }
            let scan = try detection.textScan()
            let evaluation = PHIEvaluation()
            var predictions: [String: [Finding]] = [:]
            for d in documents { predictions[d.id] = scan.findings(in: d.text) }
            let report = evaluation.score(documents, predictions: predictions, threshold: detection.threshold ?? 0.5)
            if sweep {
                let rows = evaluation.sweep(documents, scan: scan)
                let recommended = evaluation.recommendedThresholds(rows, targetRecall: targetRecall)
                if json {
                    print(JSONLines.line(SweepOutput(report: report, sweep: rows, recommendedThresholds: recommended)))
                } else {
                    print(EvaluationTables.report(report, listLeaks: listLeaks))
                    print("")
                    print(EvaluationTables.sweep(rows, recommended: recommended, targetRecall: targetRecall))
                }
            } else if json {
                print(JSONLines.line(report))
            } else {
                print(EvaluationTables.report(report, listLeaks: listLeaks))
            }
        }
    }

    struct SweepOutput: Encodable {
        var report: PHIEvaluation.Report
        var sweep: [PHIEvaluation.SweepRow]
        var recommendedThresholds: [String: Double]
    }
}

/// `medlocal phi bench CORPUS`: detection throughput on one thread.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure scan throughput (MB/s of UTF-8 text, one thread, median of runs).")

    @Argument(help: "Corpus in JSON lines ({\"id\",\"text\"}).")
    var corpus: String

    @Option(help: "Number of timed runs.")
    var runs = 7

    @Flag(help: "Also time each recognizer on its own (text preparation, recognizers, the rest).")
    var breakdown = false

    func run() throws {
        try Failure.guarding {
            let documents = try JSONLines.documents(in: try InputFiles.read(corpus), source: corpus)
            let benchmark = ScanBenchmark(texts: documents.map { $0.text })
            let r = benchmark.run(runs: runs)
            print(String(format: "scan: %d documents, %.2f MB, %d findings; median %.3f s over %d runs = %.1f MB/s (min %.3f s, max %.3f s)",
                         r.documents, r.megabytes, r.findings, r.median, r.seconds.count, r.megabytesPerSecond, r.seconds.first!, r.seconds.last!))
            guard breakdown else { return }
            for row in benchmark.breakdown(runs: runs) {
                print("  " + row.name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%7.1f ms", row.milliseconds))
            }
        }
    }
}
