import CTesseract
public import Core
import Foundation

/// ``ImageDecoder`` over Leptonica: PNG, JPEG, TIFF (every page of a multi-page file), BMP, PNM, WebP when the
/// library has it. Colour and palette images are converted to 8-bit grey.
///
/// The header is read first, and images above ``maximumPixels`` are refused before any pixels are decoded — a
/// 60 000 × 60 000 PNG is a few kilobytes on disk and 3.6 GB in memory.
public struct LeptonicaImageDecoder: ImageDecoder {
    /// 120 megapixels: an A3 page at 600 dpi is 70.
    public var maximumPixels: Int

    public init(maximumPixels: Int = 120_000_000) {
        self.maximumPixels = maximumPixels
        Self.silenceLibrary
    }

    /// Leptonica prints its errors (with file names) on stderr; MedLocal reports errors itself.
    private static let silenceLibrary: Void = { _ = setMsgSeverity(Int32(L_SEVERITY_NONE)) }()

    public func pageCount(of path: String) throws -> Int {
        let format = try header(of: path).format
        guard Self.isTIFF(format) else { return 1 }
        guard let file = fopen(path, "rb") else { throw ImageDecodingError(.damaged, "cannot open the file") }
        defer { fclose(file) }
        var count: Int32 = 0
        guard tiffGetCount(file, &count) == 0, count > 0 else { throw ImageDecodingError(.damaged, "the TIFF has no readable pages") }
        return Int(count)
    }

    public func decodePage(_ index: Int, of path: String) throws -> DecodedImage {
        let isTIFF = try checkPage(index, of: path)
        let raw: UnsafeMutablePointer<PIX>? = isTIFF ? pixReadTiff(path, Int32(index)) : pixRead(path)
        guard let source = raw else {
            throw ImageDecodingError(.damaged, "the image data is damaged or truncated")
        }
        defer { var pointer: UnsafeMutablePointer<PIX>? = source; pixDestroy(&pointer) }
        let resolution = Int(pixGetXRes(source))
        guard let converted = pixConvertTo8(source, 0) else {
            throw ImageDecodingError(.damaged, "the image's pixel format cannot be converted to grey")
        }
        defer { var pointer: UnsafeMutablePointer<PIX>? = converted; pixDestroy(&pointer) }
        return DecodedImage(image: Self.grayImage(converted), resolution: resolution > 0 ? resolution : nil)
    }

    /// Reads the page's header and refuses it when it is too large, before any pixels are decoded.
    ///
    /// - Returns: whether the file is a TIFF.
    @discardableResult
    func checkPage(_ index: Int, of path: String) throws -> Bool {
        let head = try header(of: path)
        let isTIFF = Self.isTIFF(head.format)
        var width: Int32 = head.width, height: Int32 = head.height
        if isTIFF, index > 0 {
            var bits: Int32 = 0, samples: Int32 = 0, resolution: Int32 = 0, colormap: Int32 = 0, format: Int32 = 0
            guard readHeaderTiff(path, Int32(index), &width, &height, &bits, &samples, &resolution, &colormap, &format) == 0 else {
                throw ImageDecodingError(.damaged, "page \(index + 1) of the TIFF cannot be read")
            }
        }
        try checkSize(width: Int(width), height: Int(height))
        return isTIFF
    }

    /// The page as stored (any depth), or nil.
    static func readRaw(_ path: String, page: Int, count: Int) -> UnsafeMutablePointer<PIX>? {
        var format: Int32 = 0
        guard findFileFormat(path, &format) == 0 else { return nil }
        return isTIFF(format) ? pixReadTiff(path, Int32(page)) : pixRead(path)
    }

    private func header(of path: String) throws -> (format: Int32, width: Int32, height: Int32) {
        var format: Int32 = 0, width: Int32 = 0, height: Int32 = 0, bits: Int32 = 0, samples: Int32 = 0, colormap: Int32 = 0
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImageDecodingError(.damaged, "cannot open the file (check that it exists and is readable)")
        }
        guard findFileFormat(path, &format) == 0, format != Int32(IFF_UNKNOWN) else {
            throw ImageDecodingError(.notAnImage, "not an image this build can read (PNG, JPEG, TIFF, BMP)")
        }
        guard pixReadHeader(path, &format, &width, &height, &bits, &samples, &colormap) == 0 else {
            throw ImageDecodingError(.damaged, "the image header is damaged or truncated")
        }
        return (format, width, height)
    }

    static func isTIFF(_ format: Int32) -> Bool {
        (Int32(IFF_TIFF)...Int32(IFF_TIFF_ZIP)).contains(format) || format == Int32(IFF_TIFF_JPEG)
    }

    private func checkSize(width: Int, height: Int) throws {
        guard width > 0, height > 0 else { throw ImageDecodingError(.damaged, "the image has no pixels") }
        guard width * height <= maximumPixels else {
            throw ImageDecodingError(.tooLarge, "the image is \(width) × \(height) pixels, more than the \(maximumPixels / 1_000_000) megapixels MedLocal decodes")
        }
    }

    /// Copies grey pixels into an 8-bit Leptonica image of the same size (the byte order as in ``grayImage(_:)``).
    static func copy(_ image: GrayImage, into pix: UnsafeMutablePointer<PIX>) {
        guard let data = pixGetData(pix) else { return }
        let wordsPerLine = Int(pixGetWpl(pix)), swap = 1.littleEndian == 1 ? 3 : 0
        let bytes = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self)
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<image.height {
                let row = bytes + y * wordsPerLine * 4
                for x in 0..<image.width { row[x ^ swap] = source[y * image.width + x] }
            }
        }
    }

    /// Copies an 8-bit Leptonica image out. Leptonica keeps pixels in 32-bit words, most significant byte first,
    /// so on a little-endian machine byte x of a row sits at x ^ 3.
    static func grayImage(_ pix: UnsafeMutablePointer<PIX>) -> GrayImage {
        let width = Int(pixGetWidth(pix)), height = Int(pixGetHeight(pix)), wordsPerLine = Int(pixGetWpl(pix))
        var image = GrayImage(width: width, height: height)
        guard let data = pixGetData(pix) else { return image }
        let bytes = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
        let swap = 1.littleEndian == 1 ? 3 : 0
        image.pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = bytes + y * wordsPerLine * 4
                for x in 0..<width { out[y * width + x] = row[x ^ swap] }
            }
        }
        return image
    }
}
