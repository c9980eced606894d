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
    /// Reads pages without a usable text layer (scans); nil leaves them empty.
    public var ocr: PageOCR?
    /// Hears (pages done, pages to do) while scanned pages are read.
    public var progress: @Sendable (Int, Int) -> Void

    public init(backend: any PDFBackend, options: PDFReadOptions = PDFReadOptions(), sections: SectionMapping = .standard,
                ocr: PageOCR? = nil, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.backend = backend
        self.options = options
        self.sections = sections
        self.ocr = ocr
        self.progress = progress
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
        let scanned = try recognizeScannedPages(pages, path: path, displayName: displayName)
        for page in scanned {
            pages[page.raw.number - 1] = PageContent(raw: page.raw, needsOCR: true)
        }
        var parsed = assemble(pages, source: .pdf)
        parsed.ocrLayer = scanned.map(\.layer)
        return parsed
    }

    /// OCR of the pages without a usable text layer, rendered one at a time (a few in parallel), in page order.
    private func recognizeScannedPages(_ pages: [PageContent], path: String, displayName: String) throws -> [ScannedPage] {
        guard let ocr else { return [] }
        let numbers = pages.filter(\.needsOCR).map(\.number)
        guard !numbers.isEmpty else { return [] }
        let backend = backend, resolutions = numbers.map { number in
            ocr.resolution(width: pages[number - 1].width, height: pages[number - 1].height, images: pages[number - 1].images)
        }
        do {
            return try ocr.readPages(count: numbers.count, progress: progress) { index in
                let resolution = resolutions[index - 1]
                return (try backend.renderPage(numbers[index - 1], of: path, displayName: displayName, resolution: resolution), resolution)
            }.enumerated().map { index, page in
                var page = page
                page.raw.number = numbers[index]
                page.layer.number = numbers[index]
                return page
            }
        } catch let error as DocumentError {
            throw error
        } catch {
            throw DocumentError(.unreadable, "\(displayName): OCR failed (\(error)).")
        }
    }

    /// Lays out pages already read (used by tests and by the OCR path, which builds raw pages from recognised text).
    public func layout(_ rawPages: [RawPage], source: SourceKind = .pdf) -> Document {
        assemble(rawPages.map { PageContent(raw: $0) }, source: source).document
    }

    /// Lays out pages read by OCR (an image file's pages).
    public func layout(scanned: [ScannedPage], source: SourceKind) -> ParsedDocument {
        var parsed = assemble(scanned.map { PageContent(raw: $0.raw, needsOCR: true) }, source: source)
        parsed.ocrLayer = scanned.map(\.layer)
        return parsed
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
        documentPages = TableContinuation.join(documentPages).map { page in
            guard page.needsOCR else { return page }
            var page = page
            for index in page.blocks.indices { page.blocks[index].table = page.blocks[index].table.map(ScannedLabTableCorrection().correct) }
            return page
        }
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

    init(raw: RawPage, needsOCR: Bool? = nil) {
        number = raw.number
        width = raw.width
        height = raw.height
        lines = Segmenter.lines(of: Segmenter.segments(of: raw))
        images = raw.images
        self.needsOCR = needsOCR ?? TextLayerCheck.needsOCR(raw)
        rules = PageRules(marks: raw.marks, traced: self.needsOCR)
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
