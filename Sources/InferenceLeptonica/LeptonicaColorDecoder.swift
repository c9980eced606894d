import CTesseract
import Foundation
public import Inference

/// ``ColorImageDecoder`` over Leptonica: PNG, JPEG, BMP, TIFF (first page), decoded from memory. The header is
/// read first, and images over ``maximumPixels`` are refused before their pixels are decoded.
public struct LeptonicaColorDecoder: ColorImageDecoder {
    public var maximumPixels: Int

    /// 40 megapixels: far above any image a classifier is trained on, far below what would exhaust memory.
    public init(maximumPixels: Int = 40_000_000) {
        self.maximumPixels = maximumPixels
        _ = Self.silenceLibrary
    }

    /// Leptonica prints its errors on stderr; MedLocal reports errors itself.
    private static let silenceLibrary: Void = { _ = setMsgSeverity(Int32(L_SEVERITY_NONE)) }()

    public func decodeColor(_ data: [UInt8]) throws -> RGBImage {
        guard !data.isEmpty else { throw ImageFileError("the file is empty") }
        var format: Int32 = 0, width: Int32 = 0, height: Int32 = 0, bits: Int32 = 0, samples: Int32 = 0, colormap: Int32 = 0
        guard findFileFormatBuffer(data, &format) == 0, format != Int32(IFF_UNKNOWN) else {
            throw ImageFileError("not an image this build reads (PNG, JPEG, BMP, TIFF)")
        }
        guard pixReadHeaderMem(data, data.count, &format, &width, &height, &bits, &samples, &colormap) == 0, width > 0, height > 0 else {
            throw ImageFileError("the image header is damaged or truncated")
        }
        guard Int(width) * Int(height) <= maximumPixels else {
            throw ImageFileError("the image is \(width) × \(height) pixels, more than the \(maximumPixels / 1_000_000) megapixels MedLocal decodes")
        }
        guard let source = pixReadMem(data, data.count) else { throw ImageFileError("the image data is damaged or truncated") }
        defer { var pointer: UnsafeMutablePointer<PIX>? = source; pixDestroy(&pointer) }
        guard let rgb = pixConvertTo32(source) else { throw ImageFileError("the image's pixel format cannot be converted to RGB") }
        defer { var pointer: UnsafeMutablePointer<PIX>? = rgb; pixDestroy(&pointer) }
        return Self.copy(rgb)
    }

    /// Leptonica's 32-bit pixels are words with red in the most significant byte, then green, then blue.
    static func copy(_ pix: UnsafeMutablePointer<PIX>) -> RGBImage {
        let width = Int(pixGetWidth(pix)), height = Int(pixGetHeight(pix)), wordsPerLine = Int(pixGetWpl(pix))
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if let data = pixGetData(pix) {
            pixels.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    let row = data + y * wordsPerLine
                    for x in 0..<width {
                        let word = row[x]
                        out[(y * width + x) * 3] = UInt8(truncatingIfNeeded: word >> 24)
                        out[(y * width + x) * 3 + 1] = UInt8(truncatingIfNeeded: word >> 16)
                        out[(y * width + x) * 3 + 2] = UInt8(truncatingIfNeeded: word >> 8)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
