import Core
import Documents
import Foundation
import Testing
import TestSupport
import Workflows

@Suite("Redaction of PDFs and images", .serialized)
struct RedactionTests {
    private let scratch = ScratchFolder(prefix: "medlocal-redact")
    var folder: URL { scratch.url }

    private func output(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The text layer of a PDF, whitespace removed.
    private func textLayer(_ path: String) throws -> String {
        let document = try DocumentConversion(readers: ScanFixtures.readers, formats: [.json], ocr: false)
            .read(path, displayName: "out.pdf")
        return ScanFixtures.squeezed(DocumentText(document).text)
    }

    @Test("A digital PDF loses the PHI text itself, keeps the rest, and drops its metadata; verification passes")
    func digital() throws {
        let input = ScanFixtures.path("d001.pdf")
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let out = output("d001.redacted.pdf")
        let report = try #require(try DocumentRedaction(readers: ScanFixtures.readers).redact(input, displayName: "d001.pdf", to: out))
        #expect(report.residual.isEmpty)
        #expect(report.redacted.reduce(0) { $0 + $1.boxes.count } >= 8)
        let text = try textLayer(out)
        for value in try ScanFixtures.phi(of: "d001") {
            #expect(!text.contains(ScanFixtures.squeezed(value)), "PHI still in the text layer")
        }
        #expect(text.contains("右上腹痛1天") && text.contains("白细胞计数(WBC)"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(bytes.range(of: Data("/Author".utf8)) == nil && bytes.range(of: Data("synthetic".utf8)) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        // The report has boxes and types, never values.
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.contains("86778051") && !json.contains("田霞"))
    }

    @Test("A scanned PDF gets black boxes burned into its page images, and OCR of the copy finds no PHI")
    func scanned() throws {
        let out = output("d004.scan.redacted.pdf")
        let report = try #require(try DocumentRedaction(readers: ScanFixtures.readers)
            .redact(ScanFixtures.path("d004.scan.pdf"), displayName: "d004.scan.pdf", to: out))
        #expect(report.residual.isEmpty)
        let ocr = try DocumentOCR(readers: ScanFixtures.readers).read(out, displayName: "out.pdf")
        let text = ScanFixtures.squeezed(ocr.flatMap(\.lines).map(\.text).joined())
        for value in try ScanFixtures.phi(of: "d004") {
            #expect(!text.contains(ScanFixtures.squeezed(value)), "PHI still readable by OCR")
        }
        #expect(text.count > 200)   // the rest of the page is still there
    }

    @Test("Verification catches a box left out on purpose")
    func missedBox() throws {
        let out = output("d001.missed.pdf")
        let redaction = DocumentRedaction(readers: ScanFixtures.readers)
        let report = try #require(try redaction.redact(ScanFixtures.path("d001.pdf"), displayName: "d001.pdf", to: out, decide: { _, findings in
            findings.filter { $0.kind != .idNumber }
        }))
        #expect(report.residual.contains { $0.type == "ID_NUMBER" && $0.page == 1 })
        #expect(report.residual.allSatisfy { $0.type == "ID_NUMBER" })
    }

    @Test("An image is redacted into an image of the same size, boxes burned in")
    func image() throws {
        let page = try ScanFixtures.render("d004.scan.pdf", resolution: 200)
        let png = output("page.png")
        try ScanFixtures.readers.imageWriter!.writePNG(page, to: png)
        let out = output("page.redacted.png")
        let report = try #require(try DocumentRedaction(readers: ScanFixtures.readers).redact(png, displayName: "page.png", to: out))
        #expect(report.residual.isEmpty)
        #expect(!report.redacted.isEmpty)
        let redacted = try ScanFixtures.readers.images!.decodePage(0, of: out).image
        #expect(redacted.width == page.width && redacted.height == page.height)
        #expect(redacted.pixels.filter { $0 == 0 }.count > page.pixels.filter { $0 == 0 }.count)
    }

    @Test("A refusing policy writes nothing")
    func refused() throws {
        let out = output("refused.pdf")
        let report = try DocumentRedaction(readers: ScanFixtures.readers).redact(ScanFixtures.path("d001.pdf"), displayName: "d001.pdf",
                                                                                to: out, verify: false, decide: { _, _ in nil })
        #expect(report == nil)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
