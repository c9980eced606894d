import CTesseract
public import Core
import Foundation

/// ``ImageWriter`` over Leptonica. Pages keep their colour depth where the output format allows it; black boxes
/// are painted on an RGB (or grey) copy, so a 1-bit fax page's "black" is never its white.
public struct LeptonicaImageWriter: ImageWriter {
    public init() {}

    public func writeRedacted(_ path: String, rects: [Int: [PixelRect]], to output: String) throws {
        let decoder = LeptonicaImageDecoder()
        let count = try decoder.pageCount(of: path)
        let format = try Self.format(of: output, pages: count)
        guard let pages = pixaCreate(Int32(count)) else { throw ImageDecodingError(.damaged, "out of memory") }
        defer { var pointer: UnsafeMutablePointer<PIXA>? = pages; pixaDestroy(&pointer) }
        var resolution: Int32 = 0
        for index in 0..<count {
            try decoder.checkPage(index, of: path)   // size and header, before decoding in colour
            guard let source = LeptonicaImageDecoder.readRaw(path, page: index, count: count) else {
                throw ImageDecodingError(.damaged, "page \(index + 1) cannot be decoded")
            }
            defer { var pointer: UnsafeMutablePointer<PIX>? = source; pixDestroy(&pointer) }
            resolution = max(resolution, pixGetXRes(source))
            let depth = pixGetDepth(source)
            guard let painted = (depth == 8 && pixGetColormap(source) == nil) ? pixCopy(nil, source) : pixConvertTo32(source) else {
                throw ImageDecodingError(.damaged, "page \(index + 1) cannot be converted for painting")
            }
            for rect in rects[index] ?? [] {
                var box = boxCreate(Int32(rect.x0), Int32(rect.y0), Int32(rect.x1 - rect.x0), Int32(rect.y1 - rect.y0))
                _ = pixClearInRect(painted, box)   // 0 is black in grey and RGB
                boxDestroy(&box)
            }
            pixaAddPix(pages, painted, Int32(L_INSERT))
        }
        let temporary = output + ".tmp-\(getpid())"
        defer { unlink(temporary) }
        let status: Int32
        switch format {
        case .pdf:
            status = pixaConvertToPdf(pages, resolution > 0 ? resolution : 300, 1, Int32(L_FLATE_ENCODE), 0, nil, temporary)
        case .tiff:
            var result: Int32 = 0
            for index in 0..<count {
                guard let page = pixaGetPix(pages, Int32(index), Int32(L_CLONE)) else { continue }
                defer { var pointer: UnsafeMutablePointer<PIX>? = page; pixDestroy(&pointer) }
                result |= pixWriteTiff(temporary, page, Int32(IFF_TIFF_ZIP), index == 0 ? "w" : "a")
            }
            status = result
        case .png, .jpeg:
            guard let page = pixaGetPix(pages, 0, Int32(L_CLONE)) else { throw ImageDecodingError(.damaged, "no page to write") }
            defer { var pointer: UnsafeMutablePointer<PIX>? = page; pixDestroy(&pointer) }
            status = pixWrite(temporary, page, format == .png ? Int32(IFF_PNG) : Int32(IFF_JFIF_JPEG))
        }
        guard status == 0, rename(temporary, output) == 0 else {
            throw ImageDecodingError(.damaged, "cannot write \((output as NSString).lastPathComponent) (check that the folder is writable)")
        }
    }

    public func writePNG(_ image: GrayImage, to output: String) throws {
        guard let pix = pixCreate(Int32(image.width), Int32(image.height), 8) else { throw ImageDecodingError(.damaged, "out of memory") }
        defer { var pointer: UnsafeMutablePointer<PIX>? = pix; pixDestroy(&pointer) }
        LeptonicaImageDecoder.copy(image, into: pix)
        let temporary = output + ".tmp-\(getpid())"
        defer { unlink(temporary) }
        guard pixWrite(temporary, pix, Int32(IFF_PNG)) == 0, rename(temporary, output) == 0 else {
            throw ImageDecodingError(.damaged, "cannot write \((output as NSString).lastPathComponent) (check that the folder is writable)")
        }
    }

    private enum Format { case png, jpeg, tiff, pdf }

    private static func format(of output: String, pages: Int) throws -> Format {
        let format: Format
        switch (output as NSString).pathExtension.lowercased() {
        case "png": format = .png
        case "jpg", "jpeg": format = .jpeg
        case "tif", "tiff": format = .tiff
        case "pdf": format = .pdf
        default: throw ImageDecodingError(.notAnImage, "the output must end in .pdf, .png, .jpg or .tif")
        }
        if pages > 1, format == .png || format == .jpeg {
            throw ImageDecodingError(.notAnImage, "the input has \(pages) pages; write it as .pdf or .tif")
        }
        return format
    }
}
