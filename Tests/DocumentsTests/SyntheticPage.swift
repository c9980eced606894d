import Documents
import Core

/// Builds raw pages the way a PDF library reports them, for layout tests without a PDF: text placed at a point
/// in a size, CJK characters one em wide, others half an em, spaces a quarter.
struct SyntheticPage {
    var number = 1
    var width = 595.0
    var height = 842.0
    private(set) var lines: [RawLine] = []
    private(set) var images: [RawImage] = []
    private(set) var marks: [RawMark] = []

    init(number: Int = 1) { self.number = number }

    /// Places `text` with its top-left at (x, y).
    mutating func text(_ text: String, x: Double, y: Double, size: Double = 10, bold: Bool = false) {
        var characters: [RawCharacter] = []
        var cursor = x
        for scalar in text.unicodeScalars {
            let advance = scalar.properties.isWhitespace ? size * 0.25 : (scalar.value > 0x2E80 ? size : size * 0.5)
            characters.append(RawCharacter(scalar: scalar, box: Box(x0: cursor, y0: y, x1: cursor + advance, y1: y + size * 1.2),
                                           size: size, bold: bold))
            cursor += advance
        }
        lines.append(RawLine(characters: characters))
    }

    /// Places one row of cells, each starting at its x.
    mutating func row(_ cells: [(String, Double)], y: Double, size: Double = 10, bold: Bool = false) {
        for (text, x) in cells where !text.isEmpty { self.text(text, x: x, y: y, size: size, bold: bold) }
    }

    /// A ruled table from x 50 to 360, rows 18 pt high from y 100: each row's cells, a rule above it, the
    /// vertical rules it has (where a row lacks one, its cells are merged or the stroke was lost), and a rule below
    /// the last row.
    mutating func ruledTable(_ rows: [(cells: [(String, Double)], rules: [Double])]) {
        for (index, row) in rows.enumerated() {
            let top = 100 + Double(index) * 18
            self.row(row.cells, y: top + 3)
            rule(Box(x0: 50, y0: top, x1: 360, y1: top))
            for x in row.rules { rule(Box(x0: x, y0: top, x1: x, y1: top + 18)) }
        }
        let bottom = 100 + Double(rows.count) * 18
        rule(Box(x0: 50, y0: bottom, x1: 360, y1: bottom))
    }

    mutating func image(_ box: Box) { images.append(RawImage(box: box)) }

    mutating func rule(_ box: Box) { marks.append(RawMark(kind: .stroke, box: box, lineWidth: 0.5)) }

    var raw: RawPage { RawPage(number: number, width: width, height: height, lines: lines, images: images, marks: marks) }
}

/// Lays out synthetic pages with the real PDF layout code.
func layout(_ pages: [SyntheticPage]) -> Document {
    PDFDocumentReader(backend: NoBackend()).layout(pages.map(\.raw))
}

func markdown(_ pages: [SyntheticPage]) -> String {
    MarkdownRenderer().render(layout(pages))
}

/// Layout tests never open files.
struct NoBackend: PDFBackend {
    func readPages(of path: String, displayName: String, options: PDFReadOptions, _ body: (RawPage) throws -> Void) throws {
        throw DocumentError(.unreadable, "\(displayName): layout tests read no files.")
    }

    func pageCount(of path: String, displayName: String) throws -> Int { 0 }

    func renderPage(_ number: Int, of path: String, displayName: String, resolution: Int) throws -> GrayImage {
        throw DocumentError(.unreadable, "\(displayName): layout tests render no pages.")
    }

    func writeRedacted(_ path: String, displayName: String, boxes: [Int: [Box]], to output: String) throws {
        throw DocumentError(.unreadable, "\(displayName): layout tests write no files.")
    }
}

let labColumns = [56.0, 200, 260, 330, 420]
