import Documents
import DocumentsMuPDF
import Foundation
import Testing
import TestSupport

@Suite("Reading PDFs with MuPDF")
struct PDFReadingTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
    let reader = PDFDocumentReader(backend: MuPDFBackend())

    @Test("Dev reports match their golden Markdown and JSON", arguments: ["d001", "d007", "d016", "d024"])
    func goldens(id: String) throws {
        let path = Self.corpus.appendingPathComponent("\(id).pdf").path
        let document = try reader.read(path, displayName: "\(id).pdf")
        let json = try JSONSerialization.jsonObject(with: try DocumentJSON.encode(document))
        let pretty = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        // Both are checked (or recorded) before the first difference is reported.
        let results = [
            Result { try Goldens.check(MarkdownRenderer().render(document), folder: "DocumentsTests", name: "\(id).md") },
            Result { try Goldens.check(String(decoding: pretty, as: UTF8.self) + "\n", folder: "DocumentsTests", name: "\(id).json") },
        ]
        for result in results { try result.get() }
    }

    @Test("Spans carry page numbers, boxes inside the page and font sizes")
    func coordinates() throws {
        let document = try reader.read(Self.corpus.appendingPathComponent("d001.pdf").path, displayName: "d001.pdf")
        #expect(document.pages.map(\.number) == [1, 2])
        let page = try #require(document.pages.first)
        #expect(abs(page.width - 595.3) < 1 && abs(page.height - 841.9) < 1)
        let spans = document.blocks.flatMap { $0.lines.flatMap(\.spans) }
        #expect(!spans.isEmpty)
        #expect(spans.allSatisfy { $0.box.x0 >= 0 && $0.box.x1 <= page.width && $0.box.y0 >= 0 && $0.box.y1 <= page.height })
        #expect(spans.allSatisfy { ($0.fontSize ?? 0) > 0 })
        let title = try #require(document.blocks.first { $0.kind == .heading && $0.level == 1 })
        #expect(title.box.y0 < 150)
    }

    @Test("Bold fonts are flagged")
    func bold() throws {
        let document = try reader.read(Self.corpus.appendingPathComponent("d007.pdf").path, displayName: "d007.pdf")
        let spans = document.blocks.flatMap { $0.lines.flatMap(\.spans) }
        #expect(spans.contains { $0.bold == true } && spans.contains { $0.bold == false })
    }

    @Test("A scanned PDF's pages are flagged for OCR")
    func scanFlagged() throws {
        let document = try reader.read(Self.corpus.appendingPathComponent("d001.scan.pdf").path, displayName: "d001.scan.pdf")
        #expect(document.pages.count == 2)
        #expect(document.pages.allSatisfy { $0.needsOCR })
    }

    @Test("Bad input is a clear error naming the file", arguments: BadPDF.allCases)
    func badInput(kind: BadPDF) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try kind.write(in: folder)
        do {
            _ = try reader.read(path, displayName: "patient-file.pdf")
            Issue.record("\(kind) was read without an error")
        } catch let error as DocumentError {
            #expect(error.message.hasPrefix("patient-file.pdf: "))
            #expect(error.code == kind.expectedCode)
        }
    }
}

enum BadPDF: String, CaseIterable, Sendable {
    case empty, notAPDF, truncated, garbage, encrypted

    var expectedCode: DocumentError.Code {
        switch self {
        case .empty: .unreadable
        case .notAPDF: .notAPDF
        case .truncated, .garbage: .damaged
        case .encrypted: .encrypted
        }
    }

    func write(in folder: URL) throws -> String {
        let url = folder.appendingPathComponent("\(rawValue).pdf")
        switch self {
        case .empty:
            try Data().write(to: url)
        case .notAPDF:
            try Data("患者姓名：张三\n".utf8).write(to: url)
        case .truncated:
            let full = try Data(contentsOf: PDFReadingTests.corpus.appendingPathComponent("d001.pdf"))
            try full.prefix(full.count / 3).write(to: url)
        case .garbage:
            try Data("%PDF-1.7\n".utf8 + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).write(to: url)
        case .encrypted:
            let fixture = Bundle.module.url(forResource: "Fixtures/encrypted", withExtension: "pdf")!
            try FileManager.default.copyItem(at: fixture, to: url)
        }
        return url.path
    }
}
