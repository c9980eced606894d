import Documents
import Foundation
import Testing
import TestSupport

@Suite("Reading DOCX")
struct DOCXReadingTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")

    @Test("Dev Word reports match their golden Markdown", arguments: ["d002", "d006", "d010"])
    func goldens(id: String) throws {
        let document = try DOCXReader().read(Self.corpus.appendingPathComponent("\(id).docx").path, displayName: "\(id).docx")
        try Goldens.check(MarkdownRenderer().render(document), folder: "DocumentsTests", name: "\(id).docx.md")
    }

    @Test("Styles give heading levels, tables keep their header, headers and footers are discarded")
    func structure() throws {
        let document = try DOCXReader().read(Self.corpus.appendingPathComponent("d006.docx").path, displayName: "d006.docx")
        let headings = document.blocks.filter { $0.kind == .heading }
        #expect(headings.first?.level == 1)
        #expect(headings.dropFirst().first?.level == 2)
        #expect(document.sections.map(\.canonical).contains(.chiefComplaint))
        #expect(document.blocks.contains { $0.kind == .footer || $0.kind == .header })
        #expect(!MarkdownRenderer().render(document).contains("CONFIDENTIAL"))
        let lab = try DOCXReader().read(Self.corpus.appendingPathComponent("d002.docx").path, displayName: "d002.docx")
        #expect(lab.tables.first?.header == ["项目", "结果", "单位", "参考范围", "提示"])
        #expect(lab.tables.first?.rows.count == 48)
        #expect(lab.labResults.count == 48)
    }

    @Test("Merged cells become spans and the table renders as HTML")
    func mergedCells() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = """
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>\
        <w:p><w:r><w:t>结果与单位</w:t></w:r></w:p></w:tc></w:tr>\
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>血常规</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>6.5</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>10^9/L</w:t></w:r></w:p></w:tc></w:tr>\
        <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>130</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>g/L</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        """
        let path = try WordFile.write(body: body, in: folder)
        let document = try DOCXReader().read(path, displayName: "merged.docx")
        let table = try #require(document.blocks.first { $0.kind == .table }?.table)
        #expect(table.rows[0][1].columnSpan == 2)
        #expect(table.rows[1][0].rowSpan == 2)
        #expect(table.rows[2].count == 2)
        let markdown = MarkdownRenderer().render(document)
        #expect(markdown.contains("<td rowspan=\"2\">血常规</td>") && markdown.contains("<th colspan=\"2\">结果与单位</th>"))
    }

    @Test("Zip bombs, malformed XML and non-ZIP files are rejected with a clear error", arguments: [
        ("zip-bomb", DocumentError.Code.tooLarge), ("malformed", .malformedXML),
    ])
    func badFixtures(name: String, code: DocumentError.Code) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "docx"))
        #expect(throws: DocumentError.self) { try DOCXReader().read(url.path, displayName: "\(name).docx") }
        do { _ = try DOCXReader().read(url.path, displayName: "\(name).docx") } catch let error as DocumentError {
            #expect(error.code == code)
            #expect(error.message.hasPrefix("\(name).docx: "))
        }
    }

    @Test("A file that is not a ZIP container is rejected")
    func notZip() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.docx")
        try Data("患者姓名：张三".utf8).write(to: url)
        do {
            _ = try DOCXReader().read(url.path, displayName: "x.docx")
            Issue.record("read a non-ZIP file")
        } catch let error as DocumentError {
            #expect(error.code == .malformedContainer)
            #expect(!error.message.contains("张三"))
        }
    }

    @Test("XML with a document type declaration is refused (no entity expansion)")
    func doctype() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try WordFile.write(body: "<w:p/>", in: folder, prologue: "<!DOCTYPE lol [<!ENTITY a \"aaaa\">]>")
        #expect(throws: DocumentError.self) { try DOCXReader().read(path, displayName: "doctype.docx") }
    }
}

/// Writes a minimal DOCX around a body fragment (the xmlns URI is the WordprocessingML namespace name, an identifier
/// XML compares as a string; nothing fetches it).
enum WordFile {
    static func write(body: String, in folder: URL, prologue: String = "") throws -> String {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>\(prologue)<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
        """
        let source = folder.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("word"), withIntermediateDirectories: true)
        try Data(xml.utf8).write(to: source.appendingPathComponent("word/document.xml"))
        let target = folder.appendingPathComponent("test.docx")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        zip.arguments = ["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'word/document.xml'); z.close()",
                         target.path, source.appendingPathComponent("word/document.xml").path]
        try zip.run()
        zip.waitUntilExit()
        return target.path
    }
}
