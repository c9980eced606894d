/// What a block is. Header, footer and page number blocks are *discarded*: kept in JSON, never rendered.
public enum BlockKind: String, Codable, Sendable {
    case title, heading, paragraph
    case listItem = "list_item"
    case table, figure, caption, formula
    case header, footer
    case pageNumber = "page_number"

    public var isDiscarded: Bool { self == .header || self == .footer || self == .pageNumber }
}

/// A block of a page: a heading, a paragraph, a table, a figure …
public struct Block: Codable, Sendable, Equatable {
    public var kind: BlockKind
    /// 1-based page number of the block's first line.
    public var page: Int
    public var box: Box
    /// Heading level, 1 (largest) … 6; nil for other kinds.
    public var level: Int?
    public var lines: [Line]
    /// For `.table` blocks.
    public var table: Table?
    /// For `.figure` blocks: the caption text, when one was found next to the image.
    public var caption: String?
    /// For `.figure` blocks: the file name the image is written under, relative to the Markdown file.
    public var imageName: String?

    public init(kind: BlockKind, page: Int, box: Box, level: Int? = nil, lines: [Line] = [], table: Table? = nil,
                caption: String? = nil, imageName: String? = nil) {
        self.kind = kind
        self.page = page
        self.box = box
        self.level = level
        self.lines = lines
        self.table = table
        self.caption = caption
        self.imageName = imageName
    }

    /// The block's text: lines joined by "\n" (table blocks: rows of cells joined by spaces).
    public var text: String {
        if let table { return table.rows.map { $0.map(\.text).joined(separator: " ") }.joined(separator: "\n") }
        return lines.map(\.text).joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey { case kind, page, box, level, lines, table, caption, imageName = "image" }
}

/// One printed line: spans on a common baseline, left to right.
public struct Line: Codable, Sendable, Equatable {
    public var box: Box
    public var spans: [Span]

    public init(box: Box, spans: [Span]) {
        self.box = box
        self.spans = spans
    }

    public init(spans: [Span]) {
        self.init(box: spans.map(\.box).union(), spans: spans)
    }

    /// The spans' text. Spans that touch are joined directly; spans separated by a visible gap (wider than half
    /// the line's height, as between the cells of `key：value  key：value`) are joined by two spaces.
    public var text: String {
        var result = ""
        for (index, span) in spans.enumerated() {
            result += separator(before: index) + span.text
        }
        return result
    }

    /// What goes between span `index - 1` and span `index`: two spaces across a visible gap, else nothing.
    public func separator(before index: Int) -> String {
        guard index > 0, spans[index].box.x0 - spans[index - 1].box.x1 > 0.5 * max(1, box.height) else { return "" }
        return "  "
    }
}

/// A run of text in one style, with its page and box.
public struct Span: Codable, Sendable, Equatable {
    public var text: String
    public var page: Int
    public var box: Box
    public var fontSize: Double?
    public var bold: Bool?
    /// Left and right x of each code point of `text` (x0, x1, x0, x1, …) when the reader knows them: what lets
    /// redaction box part of a span exactly. Not part of the JSON.
    public var characterEdges: [Double]? = nil

    public init(text: String, page: Int, box: Box, fontSize: Double? = nil, bold: Bool? = nil, characterEdges: [Double]? = nil) {
        self.text = text
        self.page = page
        self.box = box
        self.fontSize = fontSize
        self.bold = bold
        self.characterEdges = characterEdges
    }

    enum CodingKeys: String, CodingKey { case text, page, box, fontSize = "font_size", bold }
}
