import Core
import Foundation
import Workflows

/// Text tables for `phi evaluate`.
enum EvaluationTables {
    static func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "-" }

    static func report(_ r: PHIEvaluation.Report, listLeaks: Int) -> String {
        var rows = [["TYPE", "GOLD", "PRED", "sP", "sR", "sF1", "rF1", "charR", "charP", "leakDocs"]]
        let order = EntityKind.all.map(\.rawValue) + r.perKind.keys.filter { k in !EntityKind.all.contains { $0.rawValue == k } }.sorted()
        for kind in order {
            guard let c = r.perKind[kind] else { continue }
            rows.append([kind, String(c.gold), String(c.predicted), f(c.strictPrecision), f(c.strictRecall), f(c.strictF1),
                         f(c.relaxedF1), f(c.charRecall), f(c.charPrecision), String(c.leakedDocuments)])
        }
        let o = r.overall
        rows.append(["OVERALL", String(o.gold), String(o.predicted), f(o.strictPrecision), f(o.strictRecall), f(o.strictF1),
                     f(o.relaxedF1), f(o.charRecall), f(o.charPrecision), String(o.leakedDocuments)])
        var lines = ["threshold \(String(format: "%.2f", r.threshold))", TextTable.render(rows), ""]
        lines.append(String(format: "character recall %.4f (leak rate %.4f), character precision %.4f",
                            o.charRecall ?? 0, 1 - (o.charRecall ?? 0), o.charPrecision ?? 1))
        lines.append(String(format: "documents with any leaked PHI character: %d / %d (%.2f%%)",
                            o.leakedDocuments, r.documents, 100 * Double(o.leakedDocuments) / Double(max(1, r.documents))))
        if !r.leakedDocumentIDs.isEmpty && listLeaks > 0 {
            lines.append("leaked: " + r.leakedDocumentIDs.prefix(listLeaks).joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func sweep(_ rows: [PHIEvaluation.SweepRow], recommended: [String: Double], targetRecall: Double) -> String {
        var table = [["THRESHOLD", "charP", "FPR-like", "FNR(leak)", "leakDocs", "strictF1"]]
        for row in rows {
            let o = row.overall
            table.append([String(format: "%.2f", row.threshold), f(o.charPrecision), f(o.charPrecision.map { 1 - $0 }),
                          f(o.charRecall.map { 1 - $0 }), String(o.leakedDocuments), f(o.strictF1)])
        }
        var lines = [TextTable.render(table), "", "recommended threshold per type (highest keeping character recall ≥ \(targetRecall)):"]
        for kind in recommended.keys.sorted() { lines.append("  \(kind): \(String(format: "%.2f", recommended[kind]!))") }
        return lines.joined(separator: "\n")
    }
}
