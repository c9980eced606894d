import Core
import Foundation
import Workflows

/// Renders findings as a table, JSON or JSON lines.
enum FindingsOutput {
    static func write(_ findings: [Finding], in text: String, source: String, format: OutputFormat, showValues: Bool, explain: Bool) {
        switch format {
        case .json, .jsonl:
            print(JSONLines.line(ScoredEntities(id: source, findings: findings, text: showValues ? text : nil, explain: explain)))
        case .table:
            print(table(findings, in: text, showValues: showValues, explain: explain))
        }
    }

    static func table(_ findings: [Finding], in text: String, showValues: Bool, explain: Bool) -> String {
        var rows: [[String]] = [["TYPE", "START", "END", "SCORE"] + (showValues ? ["VALUE"] : []) + ["RECOGNIZER"]]
        for f in findings {
            var row = [f.kind.rawValue, String(f.start), String(f.end), String(format: "%.2f", f.score)]
            if showValues { row.append(text.slice(codePoints: f.range)) }
            row.append(explain ? f.explanation.summary : f.explanation.recognizer)
            rows.append(row)
        }
        return TextTable.render(rows) + "\n\(findings.count) finding\(findings.count == 1 ? "" : "s")"
    }
}

extension FindingsOutput {
    /// Prints findings as they arrive (streaming), in the same formats, without holding them all.
    struct Incremental {
        let source: String
        let format: OutputFormat
        let explain: Bool
        private var count = 0

        init(source: String, format: OutputFormat, explain: Bool) {
            self.source = source
            self.format = format
            self.explain = explain
        }

        mutating func write(_ findings: [Finding]) {
            for f in findings {
                switch format {
                case .json, .jsonl:
                    let entity = ScoredEntities(id: "", findings: [f], text: nil, explain: explain).entities[0]
                    let prefix = count == 0 ? "{\"id\":" + JSONLines.line(source) + ",\"entities\":[" : ","
                    print(prefix + JSONLines.line(entity), terminator: "")
                case .table:
                    if count == 0 { print(TextTable.render([["TYPE", "START", "END", "SCORE", "RECOGNIZER"]])) }
                    print([f.kind.rawValue, String(f.start), String(f.end), String(format: "%.2f", f.score),
                           explain ? f.explanation.summary : f.explanation.recognizer].joined(separator: "  "))
                }
                count += 1
            }
        }

        func finish() {
            switch format {
            case .json, .jsonl: print(count == 0 ? "{\"entities\":[],\"id\":" + JSONLines.line(source) + "}" : "]}")
            case .table: print("\(count) finding\(count == 1 ? "" : "s")")
            }
        }
    }
}

/// Plain-text column alignment that counts CJK characters as two columns wide.
enum TextTable {
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value)) ? 2 : 1) }
    }

    static func render(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - width(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
