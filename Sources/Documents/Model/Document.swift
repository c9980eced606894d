/// A parsed document: the one intermediate model every reader produces and every renderer reads.
///
/// Pages hold blocks in reading order; blocks hold lines and lines hold spans, each with its page box. Running
/// headers, footers and page numbers stay in the model as *discarded* blocks but are never rendered. The
/// `sections` and `tables` views are derived from the blocks (see ``DocumentStructure``).
public struct Document: Codable, Sendable, Equatable {
    /// Bumped when the JSON shape changes incompatibly (docs/document-model.md).
    public static let schemaVersion = 1

    public var schemaVersion: Int = Document.schemaVersion
    /// Where it came from: the input kind, never the file's path or content.
    public var source: SourceKind
    public var pages: [Page]
    /// Printed section headings with their canonical clinical field and plain body text, in reading order.
    public var sections: [Section]
    /// Data tables (a table continued across pages is one table).
    public var tables: [TableView]
    /// Lab tables normalised to item / value / unit / range / flag rows.
    public var labResults: [LabResult]

    public init(source: SourceKind, pages: [Page], sections: [Section] = [], tables: [TableView] = [],
                labResults: [LabResult] = []) {
        self.source = source
        self.pages = pages
        self.sections = sections
        self.tables = tables
        self.labResults = labResults
    }

    /// All blocks of all pages in reading order.
    public var blocks: [Block] { pages.flatMap(\.blocks) }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", source, pages, sections, tables, labResults = "lab_results"
    }
}

/// The kind of input a document was read from.
public enum SourceKind: String, Codable, Sendable {
    case pdf, docx, image, text
}

/// One page, with its size in points and its blocks in reading order.
public struct Page: Codable, Sendable, Equatable {
    /// 1-based page number.
    public var number: Int
    public var width: Double
    public var height: Double
    /// True when the page has no usable text layer (a scan, or fonts without a Unicode mapping); OCR fills it in.
    public var needsOCR: Bool
    public var blocks: [Block]

    public init(number: Int, width: Double, height: Double, needsOCR: Bool = false, blocks: [Block] = []) {
        self.number = number
        self.width = width
        self.height = height
        self.needsOCR = needsOCR
        self.blocks = blocks
    }

    enum CodingKeys: String, CodingKey { case number, width, height, needsOCR = "needs_ocr", blocks }
}
