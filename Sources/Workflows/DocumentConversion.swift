public import Documents
public import Foundation

/// Output formats of `medlocal parse`.
public enum DocumentFormat: String, CaseIterable, Sendable {
    case markdown = "md", json, fhir

    /// File suffix after the stem.
    public var suffix: String {
        switch self {
        case .markdown: ".md"
        case .json: ".json"
        case .fhir: ".fhir.json"
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

    public init(readers: DocumentReaders, formats: [DocumentFormat], sections: SectionMapping = .standard,
                fhir: FHIRExporter = FHIRExporter()) {
        self.readers = readers
        self.formats = formats
        self.sections = sections
        self.fhir = fhir
    }

    /// One rendered output: the suffix it is written under and its bytes.
    public struct Output: Sendable {
        public var suffix: String
        public var data: Data
    }

    /// Reads `path` and renders every requested format.
    ///
    /// - Throws: ``DocumentError`` naming `displayName` when the file cannot be read as a document.
    public func convert(_ path: String, displayName: String) throws -> [Output] {
        try render(try read(path, displayName: displayName))
    }

    /// Every requested rendering of a document.
    public func render(_ document: Document) throws -> [Output] {
        try formats.map { format in
            switch format {
            case .markdown: Output(suffix: format.suffix, data: Data(MarkdownRenderer().render(document).utf8))
            case .json: Output(suffix: format.suffix, data: try DocumentJSON.encode(document))
            case .fhir: Output(suffix: format.suffix, data: try fhir.export(document))
            }
        }
    }

    public func read(_ path: String, displayName: String) throws -> Document {
        switch try InputKind.detect(path, displayName: displayName) {
        case .pdf:
            guard let backend = readers.pdf else {
                throw DocumentError(.unsupportedFormat, "\(displayName): this build has no PDF reader.")
            }
            return try PDFDocumentReader(backend: backend, sections: sections).read(path, displayName: displayName)
        case .docx:
            return try DOCXReader(sections: sections).read(path, displayName: displayName)
        }
    }
}

/// What a file is, from its first bytes: `%PDF-` or a ZIP container (DOCX).
enum InputKind {
    case pdf, docx

    static func detect(_ path: String, displayName: String) throws -> InputKind {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DocumentError(.unreadable, "\(displayName): cannot open the file (check that it exists and is readable).")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        if head.isEmpty { throw DocumentError(.unreadable, "\(displayName): the file is empty.") }
        if head.range(of: Data("%PDF-".utf8)) != nil { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .docx }
        let lowered = (displayName as NSString).pathExtension.lowercased()
        if lowered == "pdf" { throw DocumentError(.notAPDF, "\(displayName): not a PDF (no %PDF- header); the file may be damaged or mislabelled.") }
        if lowered == "docx" { throw DocumentError(.malformedContainer, "\(displayName): not a DOCX (not a ZIP container).") }
        throw DocumentError(.unsupportedFormat, "\(displayName): unsupported input; parse reads PDF and DOCX files.")
    }
}
