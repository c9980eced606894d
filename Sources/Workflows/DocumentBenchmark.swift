import Documents
import Foundation

/// Parse throughput: every file read and rendered in memory (nothing written), one thread, several runs.
public struct DocumentBenchmark: Sendable {
    public struct Result: Sendable {
        public var pages: Int
        /// Seconds per run, in run order.
        public var seconds: [Double]

        public var medianPagesPerSecond: Double {
            let sorted = seconds.sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            return median > 0 ? Double(pages) / median : 0
        }
    }

    public let conversion: DocumentConversion

    public init(conversion: DocumentConversion) {
        self.conversion = conversion
    }

    /// - Throws: the first file's error when a file cannot be parsed (a benchmark of failures measures nothing).
    public func run(_ files: [String], runs: Int) throws -> Result {
        var pages = 0
        var seconds: [Double] = []
        for run in 0..<max(1, runs) {
            let start = ContinuousClock.now
            var runPages = 0
            for file in files {
                let parsed = try conversion.parse(file, displayName: file)
                _ = try conversion.render(parsed, baseName: "bench")
                runPages += parsed.document.pages.count
            }
            let elapsed = ContinuousClock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            if run == 0 { pages = runPages }
        }
        return Result(pages: pages, seconds: seconds)
    }
}
