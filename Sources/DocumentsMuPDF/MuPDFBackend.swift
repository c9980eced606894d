import CMuPDF
import CMuPDFShim
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
        var reader = PageReader(context: context, extractImages: options.extractImages)
        for index in 0..<Int(count) {
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
