import CMuPDF
import CMuPDFShim
import Documents
import Foundation

/// Walks one page's structured text and marks into a ``RawPage``.
struct PageReader {
    let context: UnsafeMutablePointer<fz_context>
    let extractImages: Bool
    /// Bold flags by font, looked up once per font.
    private var boldFonts: [UnsafeMutableRawPointer: Bool] = [:]

    init(context: UnsafeMutablePointer<fz_context>, extractImages: Bool) {
        self.context = context
        self.extractImages = extractImages
    }

    mutating func page(number: Int, bounds: fz_rect, text: UnsafeMutablePointer<fz_stext_page>, marks: mp_marks) -> RawPage {
        let originX = Double(bounds.x0), originY = Double(bounds.y0)
        func box(_ r: fz_rect) -> Box {
            Box(x0: Double(r.x0) - originX, y0: Double(r.y0) - originY, x1: Double(r.x1) - originX, y1: Double(r.y1) - originY)
        }
        var lines: [RawLine] = []
        var images: [RawImage] = []
        var block = text.pointee.first_block
        while let current = block {
            defer { block = current.pointee.next }
            switch Int(current.pointee.type) {
            case Int(FZ_STEXT_BLOCK_TEXT):
                var line = current.pointee.u.t.first_line
                while let l = line {
                    defer { line = l.pointee.next }
                    let characters = self.characters(of: l, box: box)
                    if !characters.isEmpty { lines.append(RawLine(characters: characters)) }
                }
            case Int(FZ_STEXT_BLOCK_IMAGE):
                // A page-sized image is a scan for OCR, not a figure: not worth encoding.
                let imageBox = box(current.pointee.bbox)
                let pageArea = Double(bounds.x1 - bounds.x0) * Double(bounds.y1 - bounds.y0)
                let figure = imageBox.width * imageBox.height < 0.5 * pageArea
                let image = current.pointee.u.i.image
                images.append(RawImage(box: imageBox, png: extractImages && figure ? png(image) : nil,
                                       pixelWidth: image.map { Int($0.pointee.w) }, pixelHeight: image.map { Int($0.pointee.h) }))
            default:
                break
            }
        }
        var rawMarks: [RawMark] = []
        rawMarks.reserveCapacity(Int(marks.count))
        for index in 0..<Int(marks.count) {
            let m = marks.items[index]
            let r = fz_rect(x0: min(m.x0, m.x1), y0: min(m.y0, m.y1), x1: max(m.x0, m.x1), y1: max(m.y0, m.y1))
            rawMarks.append(RawMark(kind: m.kind == 1 ? .fill : .stroke, box: box(r), lineWidth: Double(m.width)))
        }
        return RawPage(number: number, width: Double(bounds.x1 - bounds.x0), height: Double(bounds.y1 - bounds.y0),
                       lines: lines, images: images, marks: rawMarks)
    }

    private mutating func characters(of line: UnsafeMutablePointer<fz_stext_line>, box: (fz_rect) -> Box) -> [RawCharacter] {
        var result: [RawCharacter] = []
        var char = line.pointee.first_char
        while let c = char {
            defer { char = c.pointee.next }
            guard c.pointee.c > 0, let scalar = Unicode.Scalar(UInt32(c.pointee.c)) else { continue }
            let size = Double(c.pointee.size)
            result.append(RawCharacter(scalar: scalar, box: box(fz_rect_from_quad(c.pointee.quad)), size: size,
                                       bold: isBold(c.pointee.font)))
        }
        return result
    }

    private mutating func isBold(_ font: UnsafeMutablePointer<fz_font>?) -> Bool {
        guard let font else { return false }
        let key = UnsafeMutableRawPointer(font)
        if let known = boldFonts[key] { return known }
        var bold = fz_font_is_bold(context, font) != 0
        if !bold, let name = fz_font_name(context, font) {
            let lowered = String(cString: name).lowercased()
            bold = lowered.contains("bold") || lowered.contains("heavy") || lowered.contains("black")
        }
        boldFonts[key] = bold
        return bold
    }

    private func png(_ image: UnsafeMutablePointer<fz_image>?) -> Data? {
        guard let image else { return nil }
        var error = MuPDFErrorBuffer()
        guard let buffer = error.withBuffer({ mp_image_png(context, image, $0, $1) }) else { return nil }
        defer { mp_drop_buffer(context, buffer) }
        var bytes: UnsafeMutablePointer<UInt8>?
        let count = mp_buffer_data(context, buffer, &bytes)
        guard let bytes, count > 0 else { return nil }
        return Data(bytes: bytes, count: count)
    }
}
