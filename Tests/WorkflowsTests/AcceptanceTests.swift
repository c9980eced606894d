import Core
import Detection
import Foundation
import Testing
import TestSupport
import Workflows

/// The acceptance bar of the PHI engine on the shared dev corpus, scored by our evaluator and
/// cross-checked with the shared scorer `phi-score`.
@Suite("PHI dev corpus acceptance", .serialized)
struct AcceptanceTests {
    @Test("Character recall ≥ 0.995 overall and ≥ 0.99 per type, precision ≥ 0.95, strict F1 ≥ 0.93, leaked documents ≤ 2%")
    func acceptance() throws {
        let data = try Data(contentsOf: Fixtures.phiDevCorpus)
        let documents = try JSONLines.documents(in: data, source: "dev.jsonl")
        let scan = TextScan()
        var predictions: [String: [Finding]] = [:]
        for d in documents { predictions[d.id] = scan.findings(in: d.text) }
        let report = PHIEvaluation().score(documents, predictions: predictions, threshold: 0.5)
        #expect(report.overall.charRecall ?? 0 >= 0.995)
        #expect(report.overall.charPrecision ?? 0 >= 0.95)
        #expect(report.overall.strictF1 ?? 0 >= 0.93)
        #expect(Double(report.overall.leakedDocuments) / Double(documents.count) <= 0.02)
        for (kind, counts) in report.perKind where counts.gold > 0 {
            #expect(counts.charRecall ?? 0 >= 0.99, "\(kind) character recall")
        }
    }

    @Test("The shared phi-score agrees with the bar on `medlocal scan --input jsonl` output")
    func sharedScorerAgrees() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let predictions = folder.appendingPathComponent("pred.jsonl")
        let scan = TextScan()
        let documents = try JSONLines.documents(in: try Data(contentsOf: Fixtures.phiDevCorpus), source: "dev.jsonl")
        let lines = documents.map { JSONLines.line(ScoredEntities(id: $0.id, findings: scan.findings(in: $0.text), text: nil, explain: false)) }
        try (lines.joined(separator: "\n") + "\n").write(to: predictions, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.shared.appendingPathComponent("tools/phi-score").path,
                             Fixtures.phiDevCorpus.path, predictions.path, "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let overall = try #require(json["overall"] as? [String: Any])
        let strict = try #require(overall["strict"] as? [String: Any])
        #expect(try #require(overall["char_recall"] as? Double) >= 0.995)
        #expect(try #require(overall["char_precision"] as? Double) >= 0.95)
        #expect(try #require(strict["f1"] as? Double) >= 0.93)
        #expect(try #require(overall["docs_with_leak_rate"] as? Double) <= 0.02)
    }
}
