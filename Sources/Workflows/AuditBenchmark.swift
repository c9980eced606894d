import Anonymization
public import Audit
import Foundation

/// `medlocal audit bench`: appends per second with every commit fsynced, grouped as commands group them and one
/// record per transaction (the baseline a naive log would be), and verification speed — in a fresh data folder
/// that is deleted afterwards.
public enum AuditBenchmark {
    public struct Result: Sendable {
        public var records: Int
        /// Median appends per second over the runs, grouped.
        public var groupedAppendsPerSecond: Double
        /// Median appends per second, one transaction (and fsync) per record.
        public var singleAppendsPerSecond: Double
        /// Median records verified per second.
        public var verifiedPerSecond: Double
    }

    public static func run(records: Int, runs: Int, groupSize: Int = 512) throws -> Result {
        var grouped: [Double] = [], single: [Double] = [], verified: [Double] = []
        let event = AuditEvent(actor: "bench", operation: "redact", itemDigest: String(repeating: "c", count: 64), inputDigest: String(repeating: "a", count: 64),
                               outputDigest: String(repeating: "b", count: 64), policyVersion: "v2.0", policyName: "hospital-default", action: "anonymize",
                               findings: (0..<8).map { .init(type: "PERSON", start: $0 * 20, end: $0 * 20 + 3, score: 0.9, recognizer: "zh-name", action: "anonymize") })
        for _ in 0..<max(1, runs) {
            let folder = NSTemporaryDirectory() + "medlocal-audit-bench-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let location = AuditLocation(dataDirectory: folder)
            let key = try AuditLocation.signingKey(from: ProjectKey.generate())
            let log = AuditLog(store: try location.store(), checkpoints: location.checkpoints, signingKey: key,
                               configuration: .init(checkpointInterval: 10_000, groupSize: groupSize))
            grouped.append(try rate(records) { for _ in 0..<records { try log.record(event) }; try log.close() })
            let verifier = ChainVerifier(store: try location.store(), checkpoints: location.checkpoints)
            verified.append(try rate(records) { guard try verifier.verify().isValid else { throw AuditError("benchmark chain did not verify") } })
            let one = AuditLog(store: try location.store(), checkpoints: location.checkpoints, signingKey: key,
                               configuration: .init(checkpointInterval: 10_000, groupSize: 1))
            let few = max(1, records / 20)
            single.append(try rate(few) { for _ in 0..<few { try one.record(event) } })
        }
        return Result(records: records, groupedAppendsPerSecond: median(grouped), singleAppendsPerSecond: median(single), verifiedPerSecond: median(verified))
    }

    private static func rate(_ count: Int, _ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
