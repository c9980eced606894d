/// An 8-bit grey image in memory, row by row (what OCR engines read).
public struct GrayImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "GrayImage needs width × height pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// A piece of text an OCR engine found: its text, its box in pixels (top-left origin) and a confidence 0…1.
public struct RecognizedText: Sendable, Equatable {
    public var text: String
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var confidence: Double

    public init(text: String, x: Int, y: Int, width: Int, height: Int, confidence: Double) {
        self.text = text
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.confidence = confidence
    }
}

/// Reads text in images. Implemented by an adapter (Tesseract); capabilities that need OCR — burned-in text in
/// DICOM pixels, scanned pages — take it through this protocol and never import the adapter.
///
/// - Important: Implementations never log the text they recognise.
public protocol OCREngine: Sendable {
    /// Text lines found in `image`.
    func recognize(_ image: GrayImage, languages: [Language]) throws -> [RecognizedText]
}
