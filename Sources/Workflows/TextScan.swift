public import Core
public import Detection

/// The "scan text" use case: find PHI in one text.
public struct TextScan: Sendable {
    public var analyzer: PHIAnalyzer
    public var options: AnalysisOptions

    public init(analyzer: PHIAnalyzer = PHIAnalyzer(), options: AnalysisOptions = AnalysisOptions()) {
        self.analyzer = analyzer
        self.options = options
    }

    /// Findings in `text`, sorted by start.
    public func findings(in text: String) -> [Finding] { analyzer.analyze(text, options: options) }
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
