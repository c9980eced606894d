import CMuPDF
import CMuPDFShim
public import Core
public import Documents
import Foundation

/// ``PDFBackend`` over MuPDF: text with boxes, sizes and bold flags from structured text, ruling lines and filled
/// rectangles from a recording device, images from the page's image blocks.
///
/// Each call opens its own MuPDF context, so several documents can be read at once on different tasks
/// (an `fz_context` is not thread-safe and is never shared).
public struct MuPDFBackend: PDFBackend {
    public init() {}

    public func readPages(of path: String, displayName: String, options: PDFReadOptions,
                          _ body: (RawPage) throws -> Void) throws {
        try withDocument(path, displayName: displayName) { context, document, count in
            var error = MuPDFErrorBuffer()
            var reader = PageReader(context: context, extractImages: options.extractImages)
            for index in 0..<count {
                var bounds = fz_rect()
                var marks = mp_marks()
                defer { mp_free_marks(&marks) }
                let flags = Int32(FZ_STEXT_PRESERVE_IMAGES | FZ_STEXT_MEDIABOX_CLIP)
                guard let text = error.withBuffer({
                    mp_page_content(context, document, Int32(index), flags, &bounds, &marks, $0, $1)
                }) else {
                    throw DocumentError(.damaged, "\(displayName): page \(index + 1) cannot be read (\(error.message)); the file may be truncated or damaged.",
                                        page: index + 1)
                }
                defer { mp_drop_stext(context, text) }
                try body(reader.page(number: index + 1, bounds: bounds, text: text, marks: marks))
            }
        }
    }

    public func pageCount(of path: String, displayName: String) throws -> Int {
        try withDocument(path, displayName: displayName) { _, _, count in count }
    }

    public func renderPage(_ number: Int, of path: String, displayName: String, resolution: Int) throws -> GrayImage {
        try withDocument(path, displayName: displayName) { context, document, count in
            guard (1...count).contains(number) else {
                throw DocumentError(.damaged, "\(displayName): there is no page \(number).", page: number)
            }
            var error = MuPDFErrorBuffer()
            guard let pixmap = error.withBuffer({ mp_render_page(context, document, Int32(number - 1), Float(resolution), 1, $0, $1) }) else {
                throw DocumentError(.damaged, "\(displayName): page \(number) cannot be rendered (\(error.message)).", page: number)
            }
            defer { mp_drop_pixmap(context, pixmap) }
            let width = Int(fz_pixmap_width(context, pixmap)), height = Int(fz_pixmap_height(context, pixmap))
            let stride = Int(fz_pixmap_stride(context, pixmap))
            var image = GrayImage(width: width, height: height)
            guard let samples = fz_pixmap_samples(context, pixmap) else { return image }
            image.pixels.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    (out.baseAddress! + y * width).update(from: samples + y * stride, count: width)
                }
            }
            return image
        }
    }

    public func writeRedacted(_ path: String, displayName: String, boxes: [Int: [Box]], to output: String) throws {
        try withDocument(path, displayName: displayName) { context, _, count in
            var pages: [Int32] = [], rects: [Float] = []
            for (page, pageBoxes) in boxes.sorted(by: { $0.key < $1.key }) {
                guard (1...count).contains(page) else {
                    throw DocumentError(.damaged, "\(displayName): there is no page \(page) to redact.", page: page)
                }
                for box in pageBoxes {
                    pages.append(Int32(page - 1))
                    rects += [Float(box.x0), Float(box.y0), Float(box.x1), Float(box.y1)]
                }
            }
            var error = MuPDFErrorBuffer()
            let status = error.withBuffer { buffer, length in
                mp_redact_pdf(context, path, output, pages, rects, Int32(pages.count), buffer, length)
            }
            guard status == 0 else {
                throw DocumentError(.damaged, "\(displayName): the redacted copy cannot be written (\(error.message)).")
            }
        }
    }

    /// Opens the document in a context of its own, checks it can be read, and hands it to `body` with its page count.
    private func withDocument<T>(_ path: String, displayName: String,
                                 _ body: (UnsafeMutablePointer<fz_context>, UnsafeMutablePointer<fz_document>, Int) throws -> T) throws -> T {
        try Self.checkSignature(path, displayName: displayName)
        guard let context = mp_new_context() else {
            throw DocumentError(.unreadable, "\(displayName): cannot start the PDF reader (out of memory?).")
        }
        defer { mp_drop_context(context) }
        var error = MuPDFErrorBuffer()
        guard let document = error.withBuffer({ mp_open_document(context, path, $0, $1) }) else {
            throw DocumentError(.damaged, "\(displayName): not a readable PDF (\(error.message)).")
        }
        defer { mp_drop_document(context, document) }
        if mp_needs_password(context, document) != 0 {
            throw DocumentError(.encrypted,
                                "\(displayName): the PDF is password-protected; remove the password before parsing it.")
        }
        let count = error.withBuffer { mp_count_pages(context, document, $0, $1) }
        guard count >= 0 else {
            throw DocumentError(.damaged, "\(displayName): cannot count the pages (\(error.message)); the file may be truncated.")
        }
        return try body(context, document, Int(count))
    }

    /// MuPDF opens many formats and repairs much; a file must at least start like a PDF to be read as one.
    static func checkSignature(_ path: String, displayName: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DocumentError(.unreadable, "\(displayName): cannot open the file (check that it exists and is readable).")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        guard head.count >= 5, let range = head.range(of: Data("%PDF-".utf8)) else {
            throw DocumentError(head.isEmpty ? .unreadable : .notAPDF,
                                head.isEmpty ? "\(displayName): the file is empty." : "\(displayName): not a PDF (no %PDF- header).")
        }
        _ = range
    }
}

/// MuPDF's error message for the last failed shim call (MuPDF's own words: never document content).
struct MuPDFErrorBuffer {
    private var storage = [CChar](repeating: 0, count: 256)

    mutating func withBuffer<T>(_ call: (UnsafeMutablePointer<CChar>, Int32) -> T) -> T {
        storage.withUnsafeMutableBufferPointer { call($0.baseAddress!, Int32($0.count)) }
    }

    var message: String {
        let text = storage.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text.isEmpty ? "unknown error" : text
    }
}
