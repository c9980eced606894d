public import Documents
public import Foundation

/// Output formats of `medlocal parse`.
public enum DocumentFormat: String, CaseIterable, Sendable {
    /// `phi`: the PHI found in the document, as types, offsets and page boxes (no values).
    case markdown = "md", json, fhir, phi

    /// File suffix after the stem.
    public var suffix: String {
        switch self {
        case .markdown: ".md"
        case .json: ".json"
        case .fhir: ".fhir.json"
        case .phi: ".phi.json"
        }
    }
}

/// Converts one input file (PDF or DOCX, recognised by content, not by name) into the document model and its
/// renderings.
public struct DocumentConversion: Sendable {
    public var readers: DocumentReaders
    public var formats: [DocumentFormat]
    public var sections: SectionMapping
    public var fhir: FHIRExporter
    /// Read scanned pages and images with OCR (when the build has an engine).
    public var ocr: Bool
    /// OCR page jobs at once (nil: one per core).
    public var ocrJobs: Int?
    /// Resolution scanned PDF pages are rendered at for OCR; nil: each scan's own, within 200–300 dpi.
    public var ocrResolution: Int?
    /// Hears (pages done, pages to do) while scanned pages are read.
    public var progress: @Sendable (Int, Int) -> Void

    public init(readers: DocumentReaders, formats: [DocumentFormat], sections: SectionMapping = .standard,
                fhir: FHIRExporter = FHIRExporter(), ocr: Bool = true, ocrJobs: Int? = nil,
                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.readers = readers
        self.formats = formats
        self.sections = sections
        self.fhir = fhir
        self.ocr = ocr
        self.ocrJobs = ocrJobs
        self.progress = progress
    }

    /// The page OCR this conversion uses, nil when OCR is off or the build has no engine.
    var pageOCR: PageOCR? {
        guard ocr, let engine = readers.ocr else { return nil }
        return PageOCR(engine: engine, renderResolution: ocrResolution, jobs: ocrJobs)
    }

    /// One rendered output: the suffix it is written under and its bytes.
    public struct Output: Sendable {
        public var suffix: String
        public var data: Data
    }

    /// Reads `path` and renders every requested format; `baseName` is the output file name without suffix
    /// (the Markdown links its images under `<baseName>_images/`).
    public func convert(_ path: String, displayName: String, baseName: String) throws -> [Output] {
        try render(try parse(path, displayName: displayName), baseName: baseName)
    }

    /// Every requested rendering of a document; with Markdown, its images too (suffix `_images/<name>`).
    public func render(_ parsed: ParsedDocument, baseName: String) throws -> [Output] {
        let document = parsed.document
        var outputs: [Output] = try formats.map { format in
            switch format {
            case .markdown:
                let renderer = MarkdownRenderer(imageFolder: parsed.images.isEmpty ? nil : baseName + "_images")
                return Output(suffix: format.suffix, data: Data(renderer.render(document).utf8))
            case .json: return Output(suffix: format.suffix, data: try DocumentJSON.encode(document))
            case .fhir: return Output(suffix: format.suffix, data: try fhir.export(document))
            case .phi: return Output(suffix: format.suffix, data: try DocumentPHIScan().json(for: document))
            }
        }
        if formats.contains(.markdown) {
            outputs += parsed.images.map { Output(suffix: "_images/" + $0.name, data: $0.data) }
        }
        return outputs
    }

    public func read(_ path: String, displayName: String) throws -> Document {
        try parse(path, displayName: displayName).document
    }

    /// The document, with its images when Markdown is among the formats.
    public func parse(_ path: String, displayName: String) throws -> ParsedDocument {
        let images = formats.contains(.markdown)
        switch try InputKind.detect(path, displayName: displayName) {
        case .pdf:
            guard let backend = readers.pdf else {
                throw DocumentError(.unsupportedFormat, "\(displayName): this build has no PDF reader.")
            }
            return try PDFDocumentReader(backend: backend, options: PDFReadOptions(extractImages: images), sections: sections,
                                         ocr: pageOCR, progress: progress)
                .parse(path, displayName: displayName)
        case .docx:
            return try DOCXReader(sections: sections).parse(path, displayName: displayName, extractImages: images)
        case .image:
            guard let decoder = readers.images, let pageOCR else {
                throw DocumentError(.unsupportedFormat, "\(displayName): reading images needs OCR, and \(ocr ? "this build has no OCR engine" : "OCR is switched off").")
            }
            return try ImageDocumentReader(decoder: decoder, ocr: pageOCR, sections: sections, progress: progress)
                .parse(path, displayName: displayName)
        }
    }
}

/// What a file is, from its first bytes: `%PDF-`, a ZIP container (DOCX) or an image signature.
enum InputKind {
    case pdf, docx, image

    /// PNG, JPEG, TIFF (both byte orders), BMP.
    private static let imageSignatures: [[UInt8]] = [
        [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A], [0x42, 0x4D],
    ]

    static func detect(_ path: String, displayName: String) throws -> InputKind {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DocumentError(.unreadable, "\(displayName): cannot open the file (check that it exists and is readable).")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        if head.isEmpty { throw DocumentError(.unreadable, "\(displayName): the file is empty.") }
        if head.range(of: Data("%PDF-".utf8)) != nil { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .docx }
        if imageSignatures.contains(where: { head.starts(with: $0) }) { return .image }
        let lowered = (displayName as NSString).pathExtension.lowercased()
        if lowered == "pdf" { throw DocumentError(.notAPDF, "\(displayName): not a PDF (no %PDF- header); the file may be damaged or mislabelled.") }
        if lowered == "docx" { throw DocumentError(.malformedContainer, "\(displayName): not a DOCX (not a ZIP container).") }
        throw DocumentError(.unsupportedFormat, "\(displayName): unsupported input; parse reads PDF, DOCX and image (PNG, JPEG, TIFF, BMP) files.")
    }
}
