public import Core
public import Documents
public import Foundation

/// `medlocal redact-document`: PHI painted out of a PDF or image so the copy still looks like the original.
///
/// The input is parsed (OCR for scanned pages and images), PHI is found over the document text and mapped to page
/// boxes; for PDFs the text under each box is removed from the content and image pixels under it are blanked
/// (MuPDF's redaction), for image files the boxes are burned into the pixels. Annotations and metadata are
/// removed. Then the output is read again — text layer and OCR of every page — and scanned: whatever PHI is
/// still found is reported as residual.
///
/// - Important: The report holds page numbers, boxes and entity types — never values.
public struct DocumentRedaction: Sendable {
    public var readers: DocumentReaders
    public var scan: TextScan
    /// Points added around every box on scanned pages (OCR boxes are a little loose or tight; a box too small
    /// leaks an edge). Text-layer boxes are exact and are only grown vertically: MuPDF removes every glyph a box
    /// touches, so horizontal padding would take the label's colon next to a value.
    public var padding: Double
    public var progress: @Sendable (Int, Int) -> Void

    public init(readers: DocumentReaders, scan: TextScan = TextScan(), padding: Double = 1.5,
                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.readers = readers
        self.scan = scan
        self.padding = padding
        self.progress = progress
    }

    /// What was redacted and what verification found, without values.
    public struct Report: Sendable, Encodable {
        public struct PageBoxes: Sendable, Encodable {
            public var page: Int
            /// [x0, y0, x1, y1] in points (PDF) — origin top-left.
            public var boxes: [[Double]]
            public var types: [String: Int]
        }
        public struct Residual: Sendable, Encodable {
            public var page: Int
            public var type: String
            public var box: [Double]
            /// "text-layer" or "ocr".
            public var source: String
        }

        public var pages: Int
        public var redacted: [PageBoxes]
        public var verified: Bool
        public var residual: [Residual]

        enum CodingKeys: String, CodingKey { case pages, redacted, verified, residual }
    }

    /// What the caller's policy made of the findings: the ones to paint out, or nil to refuse the document.
    public typealias Decide = @Sendable (_ text: String, _ findings: [Finding]) throws -> [Finding]?

    /// Which of the findings in a text of the redacted copy count as left-over PHI: those the policy would have
    /// painted out (what it only tags or alerts on is meant to stay).
    public typealias Relevant = @Sendable (_ text: String, _ findings: [Finding]) -> [Finding]

    /// Redacts `input` into `output` (a PDF for a PDF; .pdf, .png, .jpg or .tif for an image).
    ///
    /// - Returns: nil when `decide` refused the document (nothing is written).
    /// - Throws: ``DocumentError`` / ``InputError`` naming the file.
    public func redact(_ input: String, displayName: String, to output: String, verify: Bool = true,
                       relevant: Relevant = { _, findings in findings },
                       decide: Decide = { _, findings in findings }) throws -> Report? {
        let kind = try InputKind.detect(input, displayName: displayName)
        var conversion = DocumentConversion(readers: readers, formats: [.json], progress: progress)
        conversion.ocrResolution = Self.scanResolution
        let parsed = try conversion.parse(input, displayName: displayName)
        let text = DocumentText(parsed.document)
        guard let chosen = try decide(text.text, scan.findings(in: text.text)) else { return nil }
        let boxes = pageBoxes(chosen, text: text, layers: parsed.ocrLayer)
        switch kind {
        case .pdf:
            guard (output as NSString).pathExtension.lowercased() == "pdf" else {
                throw InputError(.unwritable, "\(output): a PDF is redacted into a PDF; name the output .pdf.")
            }
            guard let backend = readers.pdf else { throw DocumentError(.unsupportedFormat, "\(displayName): this build has no PDF reader.") }
            try AtomicFile.write(to: output) { temporary in
                try backend.writeRedacted(input, displayName: displayName, boxes: boxes.mapValues { $0.map(\.box) }, to: temporary)
            }
        case .image:
            guard let writer = readers.imageWriter else { throw DocumentError(.unsupportedFormat, "\(displayName): this build cannot write images.") }
            let rects = Dictionary(uniqueKeysWithValues: parsed.ocrLayer.map { layer in
                (layer.number - 1, (boxes[layer.number] ?? []).map { Self.pixels($0.box, resolution: layer.resolution) })
            })
            do {
                try writer.writeRedacted(input, rects: rects, to: output)
            } catch let error as ImageDecodingError {
                throw InputError(.unwritable, "\(output): \(error.message).")
            }
        case .docx:
            throw DocumentError(.unsupportedFormat, "\(displayName): redact-document reads PDFs and images; use redact for a DOCX's text.")
        }
        let redacted = boxes.keys.sorted().map { page in
            Report.PageBoxes(page: page, boxes: boxes[page]!.map { Self.rounded($0.box) },
                             types: Dictionary(boxes[page]!.map { ($0.type, 1) }, uniquingKeysWith: +))
        }
        let residual = verify ? try self.residual(in: output, relevant: relevant) : []
        return Report(pages: parsed.document.pages.count, redacted: redacted, verified: verify, residual: residual)
    }

    /// Each finding's boxes per page, padded, on the page as given (scanned pages are levelled before layout).
    func pageBoxes(_ findings: [Finding], text: DocumentText, layers: [OCRLayerPage]) -> [Int: [(type: String, box: Box)]] {
        let layerByPage = Dictionary(layers.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        var boxes: [Int: [(type: String, box: Box)]] = [:]
        for finding in findings {
            for place in text.boxes(for: finding.range) {
                let box = place.box
                if let layer = layerByPage[place.page] {
                    let vertical = max(padding, 0.12 * box.height)
                    let padded = Box(x0: box.x0 - padding, y0: box.y0 - vertical, x1: box.x1 + padding, y1: box.y1 + vertical)
                    for piece in layer.originalBoxes(ofLevelled: padded) { boxes[place.page, default: []].append((finding.kind.rawValue, piece)) }
                } else {
                    // Inset a hair so a box ending exactly where the next glyph starts does not touch it.
                    boxes[place.page, default: []].append((finding.kind.rawValue, Box(x0: box.x0 + 0.2, y0: box.y0 - 0.5, x1: box.x1 - 0.2, y1: box.y1 + 0.5)))
                }
            }
        }
        return boxes
    }

    /// Scanned pages are read at this resolution to find the PHI to paint out, whatever the scan's own: a 200-dpi
    /// scan read at 300 misreads fewer names and label colons (d033's 检验者 line is lost at 200), and missing one
    /// matters more here than the time.
    static let scanResolution = 300

    /// OCR words read with less confidence are not text a reader could read but a graphic or noise read as
    /// letters (an ECG trace reads as `NG OO` at 0.26–0.31, which the name rules would take for a person).
    static let readableConfidence = 0.4

    /// PHI still readable in `path`: its text layer (PDFs) and the OCR of every page (words read with at least
    /// ``readableConfidence``).
    public func residual(in path: String, relevant: Relevant = { _, findings in findings }) throws -> [Report.Residual] {
        var found: [Report.Residual] = []
        let displayName = (path as NSString).lastPathComponent
        if try InputKind.detect(path, displayName: displayName) == .pdf {
            let textOnly = DocumentConversion(readers: readers, formats: [.json], ocr: false)
            let document = try textOnly.read(path, displayName: displayName)
            let text = DocumentText(document)
            for finding in relevant(text.text, scan.findings(in: text.text)) {
                for place in text.boxes(for: finding.range) {
                    found.append(Report.Residual(page: place.page, type: finding.kind.rawValue, box: Self.rounded(place.box), source: "text-layer"))
                }
            }
        }
        var ocr = DocumentOCR(readers: readers, progress: progress)
        ocr.blanksSolidAreas = true
        for page in try ocr.read(path, displayName: displayName) {
            let points = 72 / Double(page.resolution)
            for line in page.lines {
                var readable = line
                readable.words.removeAll { $0.confidence < Self.readableConfidence }
                guard line.words.isEmpty ? line.confidence >= Self.readableConfidence : !readable.words.isEmpty else { continue }
                let lineText = readable.wordText
                for finding in relevant(lineText, scan.findings(in: lineText)) {
                    let box = Box(x0: Double(line.x) * points, y0: Double(line.y) * points,
                                  x1: Double(line.x + line.width) * points, y1: Double(line.y + line.height) * points)
                    found.append(Report.Residual(page: page.number, type: finding.kind.rawValue, box: Self.rounded(box), source: "ocr"))
                }
            }
        }
        return found
    }

    static func pixels(_ box: Box, resolution: Int) -> PixelRect {
        let scale = Double(resolution) / 72
        return PixelRect(x0: Int((box.x0 * scale).rounded(.down)), y0: Int((box.y0 * scale).rounded(.down)),
                         x1: Int((box.x1 * scale).rounded(.up)), y1: Int((box.y1 * scale).rounded(.up)))
    }

    static func rounded(_ box: Box) -> [Double] {
        [box.x0, box.y0, box.x1, box.y1].map { ($0 * 10).rounded() / 10 }
    }
}
