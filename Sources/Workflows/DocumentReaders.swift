public import Core
public import Documents

/// The concrete adapters the executable wires in (Workflows never imports an adapter): the PDF backend and the
/// OCR engine and the image decoder.
public struct DocumentReaders: Sendable {
    public var pdf: (any PDFBackend)?
    public var ocr: (any OCREngine)?
    public var images: (any ImageDecoder)?
    public var imageWriter: (any ImageWriter)?

    public init(pdf: (any PDFBackend)? = nil, ocr: (any OCREngine)? = nil, images: (any ImageDecoder)? = nil,
                imageWriter: (any ImageWriter)? = nil) {
        self.pdf = pdf
        self.ocr = ocr
        self.images = images
        self.imageWriter = imageWriter
    }

    /// The readers of the running command, bound by the executable around the command tree.
    @TaskLocal public static var current = DocumentReaders()
}
