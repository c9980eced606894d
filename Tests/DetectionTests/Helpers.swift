import Core
import Detection

/// (type, value) pairs found in `text` with the default analyzer.
func detected(_ text: String, kinds: Set<EntityKind> = Set(EntityKind.standard)) -> [(String, String)] {
    PHIAnalyzer().analyze(text, options: AnalysisOptions(kinds: kinds)).map { ($0.kind.rawValue, text.slice(codePoints: $0.range)) }
}

func contains(_ pairs: [(String, String)], _ kind: String, _ value: String) -> Bool {
    pairs.contains { $0.0 == kind && $0.1 == value }
}

struct Case: CustomTestStringConvertible, Sendable {
    var text: String
    var kind: String
    var value: String
    var testDescription: String { "\(kind): \(value)" }
}

struct NearMiss: CustomTestStringConvertible, Sendable {
    var text: String
    var notPHI: String
    var why: String
    var testDescription: String { why }
}

import Testing
