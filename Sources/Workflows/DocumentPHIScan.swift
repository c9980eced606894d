import Core
public import Documents
public import Foundation

/// PHI found in a document, mapped back to the page boxes it is printed in — what redaction burns into pages.
public struct DocumentFinding: Sendable, Encodable, Equatable {
    public struct Place: Sendable, Encodable, Equatable {
        public var page: Int
        public var box: Box
    }

    public var type: String
    /// Code-point offsets into the document's text (``DocumentText``).
    public var start: Int
    public var end: Int
    public var score: Double
    public var recognizer: String
    public var places: [Place]
}

/// Runs PHI detection over a document's text and maps every finding to page boxes.
///
/// - Important: Findings carry types, offsets, scores and boxes — never the values.
public struct DocumentPHIScan: Sendable {
    public var scan: TextScan

    public init(scan: TextScan = TextScan()) {
        self.scan = scan
    }

    public func findings(in document: Document) -> [DocumentFinding] {
        let text = DocumentText(document)
        return scan.findings(in: text.text).map { finding in
            DocumentFinding(type: finding.kind.rawValue, start: finding.start, end: finding.end,
                            score: (finding.score * 1000).rounded() / 1000, recognizer: finding.explanation.recognizer,
                            places: text.boxes(for: finding.range).map { DocumentFinding.Place(page: $0.page, box: $0.box) })
        }
    }

    /// The findings as JSON: `{"findings": [{type, start, end, score, recognizer, places: [{page, box}]}]}`.
    public func json(for document: Document) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(["findings": findings(in: document)])
    }
}
