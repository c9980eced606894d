import Core
import Documents
import DocumentsMuPDF
import DocumentsTesseract
import Foundation
import TestSupport
import Workflows

/// Pages of the shared docs corpus rendered and read with the real adapters (MuPDF, Tesseract, Leptonica).
enum ScanFixtures {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
    static let engine = TesseractOCREngine()
    static let readers = DocumentReaders(pdf: MuPDFBackend(), ocr: engine, images: LeptonicaImageDecoder(),
                                         imageWriter: LeptonicaImageWriter())

    static func path(_ name: String) -> String { corpus.appendingPathComponent(name).path }

    /// Page `number` of a corpus PDF rendered in grey.
    static func render(_ name: String, page number: Int = 1, resolution: Int) throws -> GrayImage {
        try MuPDFBackend().renderPage(number, of: path(name), displayName: name, resolution: resolution)
    }

    /// The characters MuPDF reports for `text` on page 1 of a digital corpus PDF: its box in points.
    static func textBox(of text: String, in name: String) throws -> Box? {
        var found: Box?
        try MuPDFBackend().readPages(of: path(name), displayName: name, options: PDFReadOptions()) { page in
            guard page.number == 1 else { return }
            for line in page.lines {
                let scalars = line.characters.map(\.scalar)
                let target = Array(text.unicodeScalars)
                guard scalars.count >= target.count else { continue }
                for start in 0...(scalars.count - target.count) where Array(scalars[start..<(start + target.count)]) == target {
                    found = line.characters[start..<(start + target.count)].map(\.box).reduce(into: nil as Box?) { union, box in
                        union = union.map { Box(x0: min($0.x0, box.x0), y0: min($0.y0, box.y0), x1: max($0.x1, box.x1), y1: max($0.y1, box.y1)) } ?? box
                    }
                }
            }
        }
        return found
    }

    /// The ground truth's PHI strings for a corpus document.
    static func phi(of id: String) throws -> [String] {
        let data = try Data(contentsOf: corpus.appendingPathComponent("\(id).gt.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["phi"] as? [String]) ?? []
    }

    /// Text without whitespace (OCR and layout space things differently).
    static func squeezed(_ text: String) -> String { text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(String.init).joined() }
}
