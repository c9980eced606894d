import Detection
import Foundation

/// The "how fast is detection" use case behind `medlocal phi bench`: one thread, median of runs.
public struct ScanBenchmark: Sendable {
    public struct Result: Sendable {
        public var documents: Int
        public var megabytes: Double
        public var findings: Int
        /// Seconds per pass over the corpus, sorted.
        public var seconds: [Double]
        public var median: Double { seconds[seconds.count / 2] }
        public var megabytesPerSecond: Double { megabytes / median }
    }

    let texts: [String]
    let analyzer = PHIAnalyzer()

    public init(texts: [String]) { self.texts = texts }

    /// Times `runs` passes after one warm-up pass (which builds the dictionaries).
    public func run(runs: Int) -> Result {
        _ = texts.map { analyzer.analyze($0) }
        var seconds: [Double] = []
        var findings = 0
        for _ in 0..<max(1, runs) {
            var count = 0
            seconds.append(Self.measure { for t in texts { count += analyzer.analyze(t).count } })
            findings = count
        }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        return Result(documents: texts.count, megabytes: Double(bytes) / 1_000_000, findings: findings, seconds: seconds.sorted())
    }

    /// Median milliseconds of text preparation, of each recognizer alone, and of each phase of `analyze`.
    public func breakdown(runs: Int) -> [(name: String, milliseconds: Double)] {
        var prepared: [ScanText] = []
        var rows = [("text preparation", median(runs) { prepared = texts.map { ScanText($0) } })]
        for recognizer in analyzer.registry.recognizers {
            rows.append((recognizer.name, median(runs) {
                var sink: [Candidate] = []
                for t in prepared { recognizer.recognize(in: t, into: &sink); sink.removeAll(keepingCapacity: true) }
            }))
        }
        for phase in analyzer.phaseTimings(prepared) { rows.append(("phase: " + phase.phase, phase.seconds)) }
        return rows.map { ($0.0, $0.1 * 1000) }
    }

    private func median(_ runs: Int, _ body: () -> Void) -> Double {
        var samples = (0..<max(1, runs)).map { _ in Self.measure(body) }
        samples.sort()
        return samples[samples.count / 2]
    }

    private static func measure(_ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
