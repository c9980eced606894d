public import Core
public import Detection
public import Logging

/// The "scan text" use case: find PHI in one text.
public struct TextScan: Sendable {
    public var analyzer: PHIAnalyzer
    public var options: AnalysisOptions
    public var logger: Logger

    public init(analyzer: PHIAnalyzer = PHIAnalyzer(), options: AnalysisOptions = AnalysisOptions(),
                logger: Logger = Logger(label: "medlocal.scan", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.analyzer = analyzer
        self.options = options
        self.logger = logger
    }

    /// Findings in `text`, sorted by start.
    /// - Important: Logs sizes and counts per type only, never the text or any value.
    public func findings(in text: String) -> [Finding] {
        let findings = analyzer.analyze(text, options: options)
        var byKind: [String: Int] = [:]
        for f in findings { byKind[f.kind.rawValue, default: 0] += 1 }
        logger.debug("scanned text", metadata: [
            "text.code_points": "\(text.unicodeScalars.count)",
            "findings.count": "\(findings.count)",
            "findings.by_kind": .dictionary(byKind.mapValues { .stringConvertible($0) }),
        ])
        return findings
    }
}

/// A scan result in the shape `phi-score` reads: `{"id", "entities": [{"start","end","type","score"}]}`.
public struct ScoredEntities: Encodable, Sendable {
    public struct Entity: Encodable, Sendable {
        public var start: Int
        public var end: Int
        public var type: String
        public var score: Double
        public var text: String?
        public var explanation: String?
    }

    public var id: String
    public var entities: [Entity]

    public init(id: String, findings: [Finding], text: String?, explain: Bool) {
        self.id = id
        let scalars = text.map { Array($0.unicodeScalars) }
        entities = findings.map { f in
            Entity(start: f.start, end: f.end, type: f.kind.rawValue, score: (f.score * 1000).rounded() / 1000,
                   text: scalars.map { String(String.UnicodeScalarView($0[f.range])) },
                   explanation: explain ? f.explanation.summary : nil)
        }
    }
}
