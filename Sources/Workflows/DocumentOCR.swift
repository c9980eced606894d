public import Core
public import Documents
public import Foundation

/// `medlocal ocr`: every page of a PDF (rendered, text layer or not) or of an image file, read by OCR, as the OCR
/// layer — lines and words with boxes in page-image pixels.
public struct DocumentOCR: Sendable {
    public var readers: DocumentReaders
    public var resolution: Int
    public var jobs: Int?
    /// Ignore solid dark areas (redaction boxes) instead of reading them.
    public var blanksSolidAreas = false
    public var progress: @Sendable (Int, Int) -> Void

    public init(readers: DocumentReaders, resolution: Int = PageOCR.defaultResolution, jobs: Int? = nil,
                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.readers = readers
        self.resolution = resolution
        self.jobs = jobs
        self.progress = progress
    }

    /// - Throws: ``DocumentError`` naming `displayName` for unreadable inputs or a build without OCR.
    public func read(_ path: String, displayName: String) throws -> [OCRLayerPage] {
        guard let engine = readers.ocr else { throw DocumentError(.unsupportedFormat, "\(displayName): this build has no OCR engine.") }
        var ocr = PageOCR(engine: engine, renderResolution: resolution, jobs: jobs)
        ocr.blanksSolidAreas = blanksSolidAreas
        let resolution = resolution
        switch try InputKind.detect(path, displayName: displayName) {
        case .pdf:
            guard let backend = readers.pdf else { throw DocumentError(.unsupportedFormat, "\(displayName): this build has no PDF reader.") }
            let count = try backend.pageCount(of: path, displayName: displayName)
            return try ocr.readPages(count: count, progress: progress) { number in
                (try backend.renderPage(number, of: path, displayName: displayName, resolution: resolution), resolution)
            }.map(\.layer)
        case .image:
            guard let decoder = readers.images else { throw DocumentError(.unsupportedFormat, "\(displayName): this build has no image decoder.") }
            return try ImageDocumentReader(decoder: decoder, ocr: ocr, progress: progress).parse(path, displayName: displayName).ocrLayer
        case .docx:
            throw DocumentError(.unsupportedFormat, "\(displayName): a DOCX has its text; use parse, not ocr.")
        }
    }
}

/// The OCR layer as JSON: pages with their size and resolution, lines and their words, each
/// `{"text", "bounding_box": [x0, y0, x1, y1], "page_number", "confidence"}` in page-image pixels (origin
/// top-left, pages from 1, confidence 0…1).
public enum OCRLayerJSON {
    public static func encode(_ pages: [OCRLayerPage]) throws -> Data {
        func item(_ text: String, _ x: Int, _ y: Int, _ width: Int, _ height: Int, _ page: Int, _ confidence: Double) -> [String: Any] {
            ["text": text, "bounding_box": [x, y, x + width, y + height], "page_number": page,
             "confidence": (confidence * 1000).rounded() / 1000]
        }
        let json: [String: Any] = ["pages": pages.map { page in
            [
                "page_number": page.number, "width": page.width, "height": page.height, "dpi": page.resolution,
                "rotation": page.rotation, "skew": page.skew,
                "lines": page.lines.map { line in
                    var entry = item(line.text.collapsingSpaces, line.x, line.y, line.width, line.height, page.number, line.confidence)
                    entry["words"] = line.words.map { item($0.text, $0.x, $0.y, $0.width, $0.height, page.number, $0.confidence) }
                    return entry
                },
            ] as [String: Any]
        }]
        return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// The recognised text, page by page, one line per OCR line.
    public static func text(_ pages: [OCRLayerPage]) -> String {
        pages.map { page in page.lines.map(\.text.collapsingSpaces).joined(separator: "\n") }.joined(separator: "\n\u{0C}\n") + "\n"
    }
}

extension String {
    /// Runs of spaces (Tesseract keeps the gaps between columns) shown as one.
    var collapsingSpaces: String {
        split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
