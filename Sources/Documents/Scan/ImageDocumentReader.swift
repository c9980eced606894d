public import Core

/// Reads photos and scanned images (PNG, JPEG, TIFF with any number of pages, BMP) into a ``Document`` through
/// OCR: the same model, Markdown, JSON and FHIR as a digital PDF gives.
public struct ImageDocumentReader: Sendable {
    public let decoder: any ImageDecoder
    public let ocr: PageOCR
    public var sections: SectionMapping
    public var progress: @Sendable (Int, Int) -> Void

    public init(decoder: any ImageDecoder, ocr: PageOCR, sections: SectionMapping = .standard,
                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.decoder = decoder
        self.ocr = ocr
        self.sections = sections
        self.progress = progress
    }

    /// - Throws: ``DocumentError`` naming `displayName` for files that are not images, damaged or too large.
    public func parse(_ path: String, displayName: String) throws -> ParsedDocument {
        let decoder = decoder
        let count: Int
        do { count = try decoder.pageCount(of: path) } catch { throw Self.documentError(error, displayName: displayName, page: nil) }
        let pages = try ocr.readPages(count: count, progress: progress) { number in
            do {
                let decoded = try decoder.decodePage(number - 1, of: path)
                return (decoded.image, Self.resolution(of: decoded))
            } catch {
                throw Self.documentError(error, displayName: displayName, page: count > 1 ? number : nil)
            }
        }
        return PDFDocumentReader(backend: NoPDF(), sections: sections).layout(scanned: pages, source: .image)
    }

    /// The file's declared resolution when plausible, else one guessed from an A4 page's width (8.27 in).
    public static func resolution(of decoded: DecodedImage) -> Int {
        if let declared = decoded.resolution, (100...1200).contains(declared) { return declared }
        return min(600, max(100, Int((Double(decoded.image.width) / 8.27).rounded())))
    }

    private static func documentError(_ error: any Error, displayName: String, page: Int?) -> any Error {
        if error is DocumentError { return error }
        let prefix = page.map { "\(displayName): page \($0)" } ?? displayName
        guard let decoding = error as? ImageDecodingError else { return DocumentError(.unreadable, "\(prefix): OCR failed (\(error)).") }
        let code: DocumentError.Code = switch decoding.reason {
        case .notAnImage: .unsupportedFormat
        case .tooLarge: .tooLarge
        case .damaged: .damaged
        }
        return DocumentError(code, "\(prefix): \(decoding.message).", page: page)
    }
}

/// The layout needs no PDF library for pages that came from images.
private struct NoPDF: PDFBackend {
    func readPages(of path: String, displayName: String, options: PDFReadOptions, _ body: (RawPage) throws -> Void) throws {}
    func pageCount(of path: String, displayName: String) throws -> Int { 0 }
    func renderPage(_ number: Int, of path: String, displayName: String, resolution: Int) throws -> GrayImage {
        GrayImage(width: 1, height: 1)
    }
    func writeRedacted(_ path: String, displayName: String, boxes: [Int: [Box]], to output: String) throws {}
}
