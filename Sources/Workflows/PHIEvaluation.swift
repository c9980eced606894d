public import Core
public import Detection

/// Scores detection against a labelled corpus the way `phi-score` does: strict and relaxed span
/// P/R/F1 per type, character-level recall (1 − leak rate) and precision, leaked documents, and a
/// threshold sweep with a recommended threshold per type.
public struct PHIEvaluation: Sendable {
    public struct Counts: Sendable, Codable {
        public var gold = 0, predicted = 0, strictHits = 0, relaxedGoldFound = 0, relaxedPredCorrect = 0
        public var goldChars = 0, goldCharsCovered = 0, predictedChars = 0, predictedCharsInGold = 0
        public var leakedDocuments = 0

        public var strictPrecision: Double? { predicted == 0 ? nil : Double(strictHits) / Double(predicted) }
        public var strictRecall: Double? { gold == 0 ? nil : Double(strictHits) / Double(gold) }
        public var strictF1: Double? { f1(strictPrecision, strictRecall) }
        public var relaxedPrecision: Double? { predicted == 0 ? nil : Double(relaxedPredCorrect) / Double(predicted) }
        public var relaxedRecall: Double? { gold == 0 ? nil : Double(relaxedGoldFound) / Double(gold) }
        public var relaxedF1: Double? { f1(relaxedPrecision, relaxedRecall) }
        public var charRecall: Double? { goldChars == 0 ? nil : Double(goldCharsCovered) / Double(goldChars) }
        public var charPrecision: Double? { predictedChars == 0 ? nil : Double(predictedCharsInGold) / Double(predictedChars) }

        private func f1(_ p: Double?, _ r: Double?) -> Double? {
            guard let r else { return nil }
            guard let p, p + r > 0 else { return 0 }
            return 2 * p * r / (p + r)
        }
    }

    public struct Report: Sendable, Codable {
        public var threshold: Double
        public var perKind: [String: Counts]
        public var overall: Counts
        public var documents: Int
        public var leakedDocumentIDs: [String]
    }

    public init() {}

    /// Scores `predictions` (by document id) against the gold entities of `documents`.
    public func score(_ documents: [CorpusDocument], predictions: [String: [Finding]], threshold: Double) -> Report {
        var perKind: [String: Counts] = [:]
        var overall = Counts()
        var leaked: [String] = []
        for document in documents {
            let gold = document.entities ?? []
            let predicted = (predictions[document.id] ?? []).filter { $0.score >= threshold }
            var goldCover = Set<Int>(), predCover = Set<Int>()
            for g in gold { goldCover.formUnion(g.range) }
            for p in predicted { predCover.formUnion(p.range) }
            var leakedKinds = Set<String>()
            for g in gold {
                let kind = g.kind.rawValue
                perKind[kind, default: Counts()].gold += 1
                overall.gold += 1
                if predicted.contains(where: { $0.range == g.range && $0.kind == g.kind }) {
                    perKind[kind]!.strictHits += 1
                    overall.strictHits += 1
                }
                if predicted.contains(where: { $0.kind == g.kind && $0.range.overlaps(g.range) }) {
                    perKind[kind]!.relaxedGoldFound += 1
                    overall.relaxedGoldFound += 1
                }
                let covered = g.range.filter { predCover.contains($0) }.count
                perKind[kind]!.goldChars += g.range.count
                perKind[kind]!.goldCharsCovered += covered
                if covered < g.range.count { leakedKinds.insert(kind) }
            }
            for kind in leakedKinds { perKind[kind]!.leakedDocuments += 1 }
            overall.goldChars += goldCover.count
            overall.goldCharsCovered += goldCover.intersection(predCover).count
            overall.predictedChars += predCover.count
            overall.predictedCharsInGold += predCover.intersection(goldCover).count
            if !leakedKinds.isEmpty {
                overall.leakedDocuments += 1
                leaked.append(document.id)
            }
            for p in predicted {
                let kind = p.kind.rawValue
                perKind[kind, default: Counts()].predicted += 1
                overall.predicted += 1
                if gold.contains(where: { $0.kind == p.kind && $0.range.overlaps(p.range) }) {
                    perKind[kind]!.relaxedPredCorrect += 1
                    overall.relaxedPredCorrect += 1
                }
                perKind[kind]!.predictedChars += p.range.count
                perKind[kind]!.predictedCharsInGold += p.range.filter { goldCover.contains($0) }.count
            }
        }
        return Report(threshold: threshold, perKind: perKind, overall: overall, documents: documents.count, leakedDocumentIDs: leaked)
    }

    /// One row of a threshold sweep.
    public struct SweepRow: Sendable, Codable {
        public var threshold: Double
        public var overall: Counts
        public var perKind: [String: Counts]
    }

    /// Runs detection at each threshold (0.00 … 1.00 by 0.05) and scores it.
    public func sweep(_ documents: [CorpusDocument], scan: TextScan) -> [SweepRow] {
        sweep(documents, analyzer: scan.analyzer, kinds: scan.options.kinds)
    }

    public func sweep(_ documents: [CorpusDocument], analyzer: PHIAnalyzer, kinds: Set<EntityKind>) -> [SweepRow] {
        stride(from: 0, through: 100, by: 5).map { step in
            let threshold = Double(step) / 100
            let options = AnalysisOptions(threshold: threshold, kinds: kinds)
            var predictions: [String: [Finding]] = [:]
            for d in documents { predictions[d.id] = analyzer.analyze(d.text, options: options) }
            let report = score(documents, predictions: predictions, threshold: threshold)
            return SweepRow(threshold: threshold, overall: report.overall, perKind: report.perKind)
        }
    }

    /// Per kind, the highest threshold whose character recall still meets `targetRecall`
    /// (the fewest false positives without leaking more).
    public func recommendedThresholds(_ rows: [SweepRow], targetRecall: Double) -> [String: Double] {
        var result: [String: Double] = [:]
        let kinds = Set(rows.flatMap { $0.perKind.keys })
        for kind in kinds {
            let passing = rows.filter { ($0.perKind[kind]?.charRecall ?? 0) >= targetRecall }.map(\.threshold)
            result[kind] = passing.max() ?? rows.first?.threshold ?? 0
        }
        return result
    }
}
