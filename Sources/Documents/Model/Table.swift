/// A table: rows of cells, the first `headerRows` of them the header. A table continued over several pages is one
/// table whose cells keep their own page and box.
public struct Table: Codable, Sendable, Equatable {
    public var rows: [[Cell]]
    public var headerRows: Int
    /// Every page the table touches, ascending.
    public var pages: [Int]
    /// How it was recognised: ruled (vector lines), aligned (text columns) or markup (DOCX).
    public var detection: Detection

    public enum Detection: String, Codable, Sendable { case ruled, aligned, markup }

    public init(rows: [[Cell]], headerRows: Int = 1, pages: [Int], detection: Detection) {
        self.rows = rows
        self.headerRows = headerRows
        self.pages = pages
        self.detection = detection
    }

    public var columnCount: Int { rows.map { $0.reduce(0) { $0 + $1.columnSpan } }.max() ?? 0 }
    /// True when some cell spans several rows or columns (rendered as HTML then).
    public var hasSpans: Bool { rows.contains { $0.contains { $0.rowSpan > 1 || $0.columnSpan > 1 } } }

    /// The last header row as strings, a spanning cell followed by empty strings for the columns it covers.
    public var header: [String] { rows.prefix(headerRows).last.map(Self.flat) ?? [] }
    /// The body rows as strings, spans expanded the same way.
    public var bodyRows: [[String]] { rows.dropFirst(headerRows).map(Self.flat) }

    private static func flat(_ row: [Cell]) -> [String] {
        row.flatMap { [$0.text] + Array(repeating: "", count: max(0, $0.columnSpan - 1)) }
    }

    enum CodingKeys: String, CodingKey { case rows, headerRows = "header_rows", pages, detection }
}

/// One table cell. Spanning cells appear once, at their top-left position.
public struct Cell: Codable, Sendable, Equatable {
    public var text: String
    public var rowSpan: Int
    public var columnSpan: Int
    public var spans: [Span]

    public init(text: String, rowSpan: Int = 1, columnSpan: Int = 1, spans: [Span] = []) {
        self.text = text
        self.rowSpan = rowSpan
        self.columnSpan = columnSpan
        self.spans = spans
    }

    enum CodingKeys: String, CodingKey { case text, rowSpan = "row_span", columnSpan = "col_span", spans }
}

/// The flat table view of ``Document/tables``: header and body rows as strings (the shape doc-score reads).
public struct TableView: Codable, Sendable, Equatable {
    public var page: Int
    public var pages: [Int]
    public var header: [String]
    public var rows: [[String]]

    public init(page: Int, pages: [Int], header: [String], rows: [[String]]) {
        self.page = page
        self.pages = pages
        self.header = header
        self.rows = rows
    }
}
