import Foundation
import Testing
import TestSupport

@Suite("medlocal ocr and redact-document", .serialized)
struct ScanCommandTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
    private let scratch = ScratchFolder()
    var folder: URL { scratch.url }


    private func input(_ name: String) throws -> String {
        let target = folder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: target)
        }
        return name
    }

    @Test("ocr --format json gives lines and words with pixel boxes, pages from 1, confidences 0…1 and the page dpi")
    func ocrJSON() throws {
        let run = try Run(["ocr", try input("d003.scan.pdf"), "--format", "json", "--dpi", "200"], in: folder)
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let pages = try #require(object["pages"] as? [[String: Any]])
        #expect(pages.count == 1)
        let page = pages[0]
        #expect(page["page_number"] as? Int == 1 && page["dpi"] as? Int == 200)
        let width = try #require(page["width"] as? Int), height = try #require(page["height"] as? Int)
        #expect(abs(width - 1654) <= 2 && abs(height - 2339) <= 2)   // A4 at 200 dpi
        let lines = try #require(page["lines"] as? [[String: Any]])
        #expect(lines.count > 15)
        for line in lines {
            let box = try #require(line["bounding_box"] as? [Int])
            #expect(box.count == 4 && box[0] < box[2] && box[1] < box[3] && box[2] <= width && box[3] <= height)
            let confidence = try #require(line["confidence"] as? Double)
            #expect((0...1).contains(confidence))
            #expect(line["page_number"] as? Int == 1)
            #expect(line["words"] is [[String: Any]])
        }
        let text = lines.compactMap { $0["text"] as? String }.joined().filter { !$0.isWhitespace }
        #expect(text.contains("31087129"))
        #expect(!run.stderr.contains("31087129"))
    }

    @Test("redact-document writes a verified copy, a report without values and previews, and leaves the input alone")
    func redactScan() throws {
        let name = try input("d003.scan.pdf")
        let before = try Data(contentsOf: folder.appendingPathComponent(name))
        let run = try Run(["redact-document", name, "-o", "out.pdf", "--report", "report.json", "--preview", "preview"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("verified"))
        let report = try String(contentsOf: folder.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(report.contains("\"redacted\"") && report.contains("MEDICAL_RECORD_NUMBER"))
        for value in ["31087129", "盛燕", "1032719815"] {
            #expect(!report.contains(value) && !run.stderr.contains(value))
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("preview/d003.scan.page-1.preview.png").path))
        #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == before)
        // Read back by OCR, the copy has none of the record's identifiers.
        let ocr = try Run(["ocr", "out.pdf", "--format", "text"], in: folder)
        let text = ocr.stdout.filter { !$0.isWhitespace }
        #expect(!text.contains("31087129") && !text.contains("盛燕"))
        #expect(text.contains("检验结果") && text.contains("参考范围"))
    }

    @Test("redact-document refuses to overwrite its input, a DOCX, and a PDF written as PNG, with clear messages")
    func refusals() throws {
        let pdf = try input("d003.pdf")
        let same = try Run(["redact-document", pdf, "-o", pdf], in: folder)
        #expect(same.status != 0 && same.stderr.contains("inputs are never modified"))
        let docx = try input("d002.docx")
        let word = try Run(["redact-document", docx, "-o", "x.pdf", "--no-verify"], in: folder)
        #expect(word.status == 1 && word.stderr.contains("d002.docx"))
        let png = try Run(["redact-document", pdf, "-o", "x.png", "--no-verify"], in: folder)
        #expect(png.status == 1 && png.stderr.contains(".pdf"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.png").path))
    }

    @Test("Under a policy, what it only tags (hospital names) stays in the copy and does not fail verification")
    func policyKeepsTagged() throws {
        let pdf = try input("d003.pdf")
        let run = try Run(["redact-document", pdf, "-o", "kept.pdf", "--policy", "hospital-default", "--data-dir", "var",
                           "--report", "kept.json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOf: folder.appendingPathComponent("kept.json"), encoding: .utf8)
        #expect(!report.contains("HOSPITAL") && report.contains("PERSON"))
        let text = try Run(["parse", "kept.pdf", "-o", "out", "--format", "md"], in: folder)
        #expect(text.status == 0)
        let markdown = try String(contentsOf: folder.appendingPathComponent("out/kept.md"), encoding: .utf8)
        #expect(markdown.contains("兰州市第一人民医院") && !markdown.contains("31087129"))
        #expect(try Run(["audit", "verify", "--data-dir", "var"], in: folder).status == 0)
    }

    @Test("A block decision writes nothing and exits 3")
    func blocked() throws {
        let pdf = try input("d003.pdf")
        let policy = folder.appendingPathComponent("block.yaml")
        try "version: v1.0\nentities:\n  MEDICAL_RECORD_NUMBER: {action: block}\n".write(to: policy, atomically: true, encoding: .utf8)
        let run = try Run(["redact-document", pdf, "-o", "x.pdf", "--policy", "block.yaml", "--data-dir", "var"], in: folder)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.pdf").path))
    }
}
