/// Reads a digital PDF into a ``Document``: segments and lines per page, running headers and footers across pages,
/// blocks in reading order, tables continued over page breaks joined, then the clinical views.
///
/// ```swift
/// let document = try PDFDocumentReader(backend: MuPDFBackend()).read("report.pdf", displayName: "report.pdf")
/// print(MarkdownRenderer().render(document))
/// ```
public struct PDFDocumentReader: Sendable {
    public let backend: any PDFBackend
    public var options: PDFReadOptions
    public var sections: SectionMapping

    public init(backend: any PDFBackend, options: PDFReadOptions = PDFReadOptions(), sections: SectionMapping = .standard) {
        self.backend = backend
        self.options = options
        self.sections = sections
    }

    /// - Throws: ``DocumentError`` naming `displayName` for files that are not PDFs, encrypted, truncated or damaged.
    /// - Important: Never logs or throws document content.
    public func read(_ path: String, displayName: String) throws -> Document {
        try parse(path, displayName: displayName).document
    }

    /// The document and, when ``PDFReadOptions/extractImages`` is set, its figures' images as PNG.
    public func parse(_ path: String, displayName: String) throws -> ParsedDocument {
        var pages: [PageContent] = []
        try backend.readPages(of: path, displayName: displayName, options: options) { raw in
            pages.append(PageContent(raw: raw))
        }
        guard !pages.isEmpty else { throw DocumentError(.damaged, "\(displayName): the PDF has no pages.") }
        return assemble(pages, source: .pdf)
    }

    /// Lays out pages already read (used by tests and by the OCR path, which builds raw pages from recognised text).
    public func layout(_ rawPages: [RawPage], source: SourceKind = .pdf) -> Document {
        assemble(rawPages.map(PageContent.init), source: source).document
    }

    private func assemble(_ pages: [PageContent], source: SourceKind) -> ParsedDocument {
        let overall = DocumentStyle(lines: pages.flatMap(\.lines))
        let furniture = FurnitureDetector(proseFontSize: overall.proseFontSize, bodyFontSize: overall.bodyFontSize)
            .classify(pages.map(\.lines), heights: pages.map(\.height))
        // The content's own typography, without running headers and footers.
        let content = zip(pages, furniture).flatMap { page, kinds in zip(page.lines, kinds).filter { $0.1 == nil }.map(\.0) }
        let style = DocumentStyle(lines: content, sections: sections)
        let analyzer = PageAnalyzer(style: style, sections: sections)
        var documentPages: [Page] = []
        var images: [ExtractedImage] = []
        var openTable: [Double]?
        for (index, page) in pages.enumerated() {
            let (blocks, pageImages, open) = analyzer.blocks(page: page.number, lines: page.lines, furniture: furniture[index],
                                                 images: page.images, rules: page.rules, width: page.width, continuing: openTable)
            openTable = open
            images += pageImages
            documentPages.append(Page(number: page.number, width: page.width, height: page.height,
                                      needsOCR: page.needsOCR, blocks: blocks))
        }
        documentPages = TableContinuation.join(documentPages)
        let document = DocumentStructure(sections: sections).complete(Document(source: source, pages: documentPages))
        return ParsedDocument(document: document, images: images)
    }
}

/// What the layout keeps of a raw page: its lines, images, rules and whether it needs OCR.
struct PageContent {
    var number: Int
    var width: Double
    var height: Double
    var lines: [VisualLine]
    var images: [RawImage]
    var rules: PageRules
    var needsOCR: Bool

    init(raw: RawPage) {
        number = raw.number
        width = raw.width
        height = raw.height
        lines = Segmenter.lines(of: Segmenter.segments(of: raw))
        images = raw.images
        rules = PageRules(marks: raw.marks)
        needsOCR = TextLayerCheck.needsOCR(raw)
    }
}

/// Pages without a usable text layer: (almost) no characters while images cover much of the page, or mostly
/// characters without a Unicode mapping (U+FFFD, private use) from fonts that cannot be read.
enum TextLayerCheck {
    static func needsOCR(_ page: RawPage) -> Bool {
        let characters = page.lines.flatMap(\.characters).filter { !$0.scalar.properties.isWhitespace }
        let unreadable = characters.filter { $0.scalar.value == 0xFFFD || (0xE000...0xF8FF).contains($0.scalar.value) }.count
        if characters.count >= 20 { return unreadable * 3 > characters.count }
        let imageArea = page.images.reduce(0) { $0 + $1.box.width * $1.box.height }
        return imageArea > 0.3 * page.width * page.height || characters.isEmpty
    }
}
