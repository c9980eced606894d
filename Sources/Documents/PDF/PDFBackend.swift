public import Core
public import Foundation

/// Reads the text layer, images and vector marks of a PDF, page by page. Implemented by an adapter over a PDF
/// library (DocumentsMuPDF); `Documents` turns what it yields into the document model.
public protocol PDFBackend: Sendable {
    /// Calls `body` with every page in order.
    ///
    /// - Throws: ``DocumentError`` naming `displayName` when the file is not a PDF, is encrypted, truncated or
    ///   damaged; errors thrown by `body` pass through.
    func readPages(of path: String, displayName: String, options: PDFReadOptions,
                   _ body: (RawPage) throws -> Void) throws

    /// The number of pages, without reading any of them.
    ///
    /// - Throws: ``DocumentError`` naming `displayName` as ``readPages(of:displayName:options:_:)`` does.
    func pageCount(of path: String, displayName: String) throws -> Int

    /// Page `number` (from 1) rendered in grey at `resolution` pixels per inch (what OCR reads for scanned pages).
    ///
    /// - Throws: ``DocumentError`` naming `displayName` as ``readPages(of:displayName:options:_:)`` does.
    func renderPage(_ number: Int, of path: String, displayName: String, resolution: Int) throws -> GrayImage

    /// Writes a redacted copy of the PDF to `output`: under every box (page number from 1 → boxes in points,
    /// origin top-left) the text is removed from the content, image pixels are blanked and a black box is drawn;
    /// annotations, form fields, metadata (info, XMP), outlines, attachments and scripts are removed.
    ///
    /// - Throws: ``DocumentError`` naming `displayName`.
    func writeRedacted(_ path: String, displayName: String, boxes: [Int: [Box]], to output: String) throws
}

/// What a backend extracts besides text.
public struct PDFReadOptions: Sendable {
    /// Encode embedded images as PNG (costs time; needed only when images are written out).
    public var extractImages: Bool

    public init(extractImages: Bool = false) {
        self.extractImages = extractImages
    }
}

/// One page as a PDF library reports it: characters on baselines, images and vector marks, in points with the
/// origin at the top-left.
public struct RawPage: Sendable {
    public var number: Int
    public var width: Double
    public var height: Double
    public var lines: [RawLine]
    public var images: [RawImage]
    public var marks: [RawMark]

    public init(number: Int, width: Double, height: Double, lines: [RawLine], images: [RawImage] = [],
                marks: [RawMark] = []) {
        self.number = number
        self.width = width
        self.height = height
        self.lines = lines
        self.images = images
        self.marks = marks
    }
}

/// Characters sharing one baseline, in the order the library reports them.
public struct RawLine: Sendable {
    public var characters: [RawCharacter]
    public init(characters: [RawCharacter]) { self.characters = characters }
}

public struct RawCharacter: Sendable {
    public var scalar: Unicode.Scalar
    public var box: Box
    public var size: Double
    public var bold: Bool

    public init(scalar: Unicode.Scalar, box: Box, size: Double, bold: Bool) {
        self.scalar = scalar
        self.box = box
        self.size = size
        self.bold = bold
    }
}

public struct RawImage: Sendable {
    public var box: Box
    /// PNG bytes when ``PDFReadOptions/extractImages`` was set and the image could be encoded.
    public var png: Data?
    /// The image's own size in pixels, when known.
    public var pixelWidth: Int?
    public var pixelHeight: Int?

    public init(box: Box, png: Data? = nil, pixelWidth: Int? = nil, pixelHeight: Int? = nil) {
        self.box = box
        self.png = png
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
    }

    /// Pixels per inch the image is printed at on the page (its pixels spread over its box), nil when unknown.
    public var resolution: Double? {
        guard let pixelWidth, let pixelHeight, box.width > 0, box.height > 0 else { return nil }
        // Over the area, so an image placed turned a quarter measures the same.
        return (Double(pixelWidth * pixelHeight) / (box.width / 72 * box.height / 72)).squareRoot()
    }
}

/// A vector mark: a stroked segment (a rule) or a filled rectangle (a thick rule or a cell background).
public struct RawMark: Sendable {
    public enum Kind: Sendable { case stroke, fill }
    public var kind: Kind
    public var box: Box
    public var lineWidth: Double

    public init(kind: Kind, box: Box, lineWidth: Double) {
        self.kind = kind
        self.box = box
        self.lineWidth = lineWidth
    }
}
