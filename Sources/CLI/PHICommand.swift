import ArgumentParser
import Core
import Detection
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
            let report = evaluation.score(documents, predictions: predictions, threshold: detection.threshold)
            if sweep {
                let rows = evaluation.sweep(documents, analyzer: scan.analyzer, kinds: scan.options.kinds)
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

extension BenchCommand {
    /// Median seconds of `body` over the runs.
    private func median(_ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let elapsed = ContinuousClock().measure(body)
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return samples.sorted()[samples.count / 2]
    }

    private func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 30 - s.count)) }

    func printBreakdown(_ texts: [String], analyzer: PHIAnalyzer, total: Double) {
        var prepared: [ScanText] = []
        let preparation = median { prepared = texts.map { ScanText($0) } }
        print("  " + pad("text preparation") + String(format: "%7.1f ms", preparation * 1000))
        var recognizers = 0.0
        for recognizer in analyzer.registry.recognizers {
            let seconds = median {
                var sink: [Candidate] = []
                for t in prepared { recognizer.recognize(in: t, into: &sink); sink.removeAll(keepingCapacity: true) }
            }
            recognizers += seconds
            print("  " + pad(recognizer.name) + String(format: "%7.1f ms", seconds * 1000))
        }
        for phase in analyzer.phaseTimings(prepared) {
            print("  phase: " + pad(phase.phase) + String(format: "%7.1f ms", phase.seconds * 1000))
        }
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
            let analyzer = PHIAnalyzer()
            let bytes = documents.reduce(0) { $0 + $1.text.utf8.count }
            let texts = documents.map(\.text)
            _ = texts.map { analyzer.analyze($0) }  // warm-up: builds dictionaries
            var seconds: [Double] = []
            var findings = 0
            for _ in 0..<max(1, runs) {
                let clock = ContinuousClock()
                var count = 0
                let elapsed = clock.measure { for t in texts { count += analyzer.analyze(t).count } }
                findings = count
                seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            seconds.sort()
            let median = seconds[seconds.count / 2]
            let mb = Double(bytes) / 1_000_000
            print(String(format: "scan: %d documents, %.2f MB, %d findings; median %.3f s over %d runs = %.1f MB/s (min %.3f s, max %.3f s)",
                         documents.count, mb, findings, median, seconds.count, mb / median, seconds.first!, seconds.last!))
            if breakdown { printBreakdown(texts, analyzer: analyzer, total: median) }
        }
    }
}
