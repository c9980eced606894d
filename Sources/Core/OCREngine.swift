/// An 8-bit grey image in memory, row by row (what OCR engines read). 0 is black, 255 white.
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

    /// A blank (white) image.
    public init(width: Int, height: Int, fill: UInt8 = 255) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height))
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Paints the rectangle `x0..<x1, y0..<y1` (clipped to the image) with `value`.
    public mutating func fill(x0: Int, y0: Int, x1: Int, y1: Int, with value: UInt8) {
        let left = max(0, x0), right = min(width, x1), top = max(0, y0), bottom = min(height, y1)
        guard left < right, top < bottom else { return }
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in top..<bottom {
                let row = y * width
                for x in left..<right { buffer[row + x] = value }
            }
        }
    }
}

/// A piece of text an OCR engine found: its text, its box in pixels (top-left origin) and a confidence 0…1.
/// A line carries its words (for CJK text an engine usually reports each character as a word).
public struct RecognizedText: Sendable, Equatable {
    public var text: String
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var confidence: Double
    /// The line's words in reading order, each with its own box; empty when the engine reports lines only.
    public var words: [RecognizedWord]

    public init(text: String, x: Int, y: Int, width: Int, height: Int, confidence: Double, words: [RecognizedWord] = []) {
        self.text = text
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.confidence = confidence
        self.words = words
    }
}

/// One word of a recognised line, its box in pixels (top-left origin) and a confidence 0…1.
public struct RecognizedWord: Sendable, Equatable {
    public var text: String
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var confidence: Double
    /// The engine's estimate of the font size in points (0 when it has none).
    public var pointSize: Double

    public init(text: String, x: Int, y: Int, width: Int, height: Int, confidence: Double, pointSize: Double = 0) {
        self.text = text
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.confidence = confidence
        self.pointSize = pointSize
    }
}

/// How an engine should look for text.
public struct OCROptions: Sendable, Equatable {
    public enum Layout: Sendable, Equatable {
        /// A page of text in blocks, columns and tables (scanned reports).
        case page
        /// Scattered text with no order to find (burned-in annotations on an image).
        case sparse
        /// One block of horizontal lines, with no columns or turned text to look for (a sample of a page).
        case block
        /// One word (re-reading a crop).
        case word
        /// One line of text (re-reading a table cell).
        case line
    }

    public var languages: [Language]
    public var layout: Layout
    /// Pixels per inch of the image (engines use it to judge font sizes).
    public var resolution: Int

    public init(languages: [Language], layout: Layout = .page, resolution: Int = 300) {
        self.languages = languages
        self.layout = layout
        self.resolution = resolution
    }
}

/// Reads text in images. Implemented by an adapter (Tesseract); capabilities that need OCR — burned-in text in
/// DICOM pixels, scanned pages — take it through this protocol and never import the adapter.
///
/// - Important: Implementations never log the text they recognise.
public protocol OCREngine: Sendable {
    /// Text lines, with their words, found in `image`. Safe to call from several tasks at once.
    func recognize(_ image: GrayImage, options: OCROptions) throws -> [RecognizedText]

    /// How the page's text is turned and which script it is in, as far as the engine can tell.
    func orientation(of image: GrayImage, resolution: Int) -> PageOrientation
}

/// What an engine can tell about a page before reading it.
public struct PageOrientation: Sendable, Equatable {
    /// How far the text is turned clockwise (0, 90, 180 or 270 degrees); nil when unsure.
    public var rotation: Int?
    /// The page's main script as a language (Han → Chinese, Latin → English); nil when unsure.
    public var script: Language?

    public init(rotation: Int? = nil, script: Language? = nil) {
        self.rotation = rotation
        self.script = script
    }
}

extension OCREngine {
    /// Scattered text lines in `image` (burned-in annotations).
    public func recognize(_ image: GrayImage, languages: [Language]) throws -> [RecognizedText] {
        try recognize(image, options: OCROptions(languages: languages, layout: .sparse))
    }

    public func orientation(of image: GrayImage, resolution: Int) -> PageOrientation { PageOrientation() }
}

/// Decodes raster image files (PNG, JPEG, TIFF with several pages, BMP) into grey pages. Implemented by an
/// adapter over an image library (Leptonica); the document readers take it through this protocol.
public protocol ImageDecoder: Sendable {
    /// The pages of the file (1 unless it is a multi-page TIFF), checked without decoding any pixels.
    ///
    /// - Throws: ``ImageDecodingError`` when the file is not an image this decoder reads, or is too large.
    func pageCount(of path: String) throws -> Int

    /// Page `index` (from 0) as grey pixels, with the resolution the file records (nil when it records none).
    func decodePage(_ index: Int, of path: String) throws -> DecodedImage
}

/// A decoded page and the pixels-per-inch its file declares.
public struct DecodedImage: Sendable {
    public var image: GrayImage
    public var resolution: Int?

    public init(image: GrayImage, resolution: Int?) {
        self.image = image
        self.resolution = resolution
    }
}

/// Why an image could not be decoded, in words a user can act on (never pixel content).
public struct ImageDecodingError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable { case notAnImage, tooLarge, damaged }
    public var reason: Reason
    public var message: String
    public var description: String { message }

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// A rectangle in pixels (x0, y0 inclusive; x1, y1 exclusive), origin top-left.
public struct PixelRect: Sendable, Equatable, Codable {
    public var x0: Int, y0: Int, x1: Int, y1: Int
    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }
}

/// Raster outputs written by an image library (Leptonica): redacted copies of image files, preview pictures.
public protocol ImageWriter: Sendable {
    /// Writes the pages of the image file at `path`, in their own colours, with every rect (page from 0 → rects)
    /// painted black. The format follows `output`'s extension: .png, .jpg/.jpeg, .tif/.tiff (every page), .pdf
    /// (one page per image page). A multi-page input written as PNG or JPEG is refused.
    func writeRedacted(_ path: String, rects: [Int: [PixelRect]], to output: String) throws

    /// Writes a grey image as PNG.
    func writePNG(_ image: GrayImage, to output: String) throws
}
