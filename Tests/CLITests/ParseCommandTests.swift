import Foundation
import Testing
import TestSupport

@Suite("medlocal parse", .serialized)
struct ParseCommandTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
    private let scratch = ScratchFolder()
    var folder: URL { scratch.url }


    private func copy(_ name: String, to relative: String) throws {
        let target = folder.appendingPathComponent("in/\(relative)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: target)
    }

    @Test("A folder batch keeps sub-folders, disambiguates shared stems, lists failures and exits 2")
    func batch() throws {
        try copy("d001.pdf", to: "a.pdf")
        try copy("d003.pdf", to: "sub/h001.scan.pdf")
        try copy("d002.pdf", to: "c.pdf")
        try copy("d002.docx", to: "c.docx")
        try Data("%PDF-1.7\nnot really".utf8).write(to: folder.appendingPathComponent("in/broken.pdf"))
        let before = try Data(contentsOf: folder.appendingPathComponent("in/a.pdf"))
        let run = try Run(["parse", "in", "-o", "out", "--format", "md,json,fhir"], in: folder)
        #expect(run.status == 2)
        #expect(run.stderr.contains("broken.pdf"))
        #expect(run.stderr.contains("c.pdf shares its stem"))
        let out = folder.appendingPathComponent("out")
        for name in ["a.md", "a.json", "a.fhir.json", "sub/h001.scan.md", "c.pdf.md", "c.docx.md"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let written = try FileManager.default.subpathsOfDirectory(atPath: out.path)
        #expect(!written.contains { $0.contains(".tmp-") })
        #expect(!written.contains { $0.hasPrefix("broken") })
        #expect(try Data(contentsOf: folder.appendingPathComponent("in/a.pdf")) == before)
    }

    @Test("A single bad file exits 1 with a message naming it and no document content")
    func badFile() throws {
        try copy("d001.pdf", to: "x.pdf")
        let full = try Data(contentsOf: folder.appendingPathComponent("in/x.pdf"))
        try full.prefix(2000).write(to: folder.appendingPathComponent("in/cut.pdf"))
        let run = try Run(["parse", "in/cut.pdf", "-o", "out"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("in/cut.pdf"))
        let good = try Run(["parse", "in/x.pdf", "-o", "out"], in: folder)
        #expect(good.status == 0)
        // PHI canary: the report's patient name never reaches the terminal.
        #expect(!good.stderr.contains("田霞") && !good.stdout.contains("田霞"))
        #expect(try String(contentsOf: folder.appendingPathComponent("out/x.md"), encoding: .utf8).contains("田霞"))
    }

    @Test("Unknown formats and a missing output folder are usage errors")
    func usage() throws {
        #expect(try Run(["parse", "x.pdf", "-o", "out", "--format", "docx"], in: folder).status != 0)
        #expect(try Run(["parse", "x.pdf"], in: folder).status != 0)
    }

    @Test("Dev corpus acceptance: digital PDFs and DOCX meet the doc-score thresholds")
    func acceptance() throws {
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".pdf") && !$0.hasSuffix(".scan.pdf") }.map { Self.corpus.appendingPathComponent($0).path }
        let docx = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".docx") }.map { Self.corpus.appendingPathComponent($0).path }
        #expect(try Run(["parse"] + pdfs + ["-o", "pdf"], in: folder).status == 0)
        #expect(try Run(["parse"] + docx + ["-o", "docx"], in: folder).status == 0)
        for (output, only) in [("pdf", false), ("docx", true)] {
            let score = try docScore(output: folder.appendingPathComponent(output), onlyPresent: only)
            let mean = try #require(score["mean"] as? [String: Any])
            func value(_ key: String) -> Double { mean[key] as? Double ?? -1 }
            #expect(value("text_similarity") >= 0.97, "\(output) text")
            #expect(value("section_recall") >= 0.95, "\(output) sections")
            #expect(value("canonical_acc") >= 0.95, "\(output) canonical")
            #expect(value("table_cell_f1") >= 0.95, "\(output) tables")
            #expect(value("reading_order") >= 0.97, "\(output) order")
            #expect(value("furniture_leak") == 0, "\(output) furniture")
        }
    }

    private func docScore(output: URL, onlyPresent: Bool) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.shared.appendingPathComponent("tools/doc-score").path, "--dir", Self.corpus.path,
                             output.path, "--format", "json"] + (onlyPresent ? ["--only-present"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

@Suite("medlocal parse --format phi")
struct ParsePHITests {
    @Test("PHI findings point at page boxes and carry no values")
    func phiBoxes() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = ParseCommandTests.corpus.appendingPathComponent("d001.pdf").path
        let run = try Run(["parse", input, "-o", "out", "--format", "phi"], in: folder)
        #expect(run.status == 0)
        let data = try Data(contentsOf: folder.appendingPathComponent("out/d001.phi.json"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("田霞") && !text.contains("86778051"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let types = Set(findings.compactMap { $0["type"] as? String })
        #expect(types.isSuperset(of: ["PERSON", "ID_NUMBER", "PHONE_NUMBER", "MEDICAL_RECORD_NUMBER"]))
        let person = try #require(findings.first { $0["type"] as? String == "PERSON" })
        let place = try #require((person["places"] as? [[String: Any]])?.first)
        #expect(place["page"] as? Int == 1)
        let box = try #require(place["box"] as? [Double])
        // 姓名：田霞 is the first field of the grid below the title, near the left margin.
        #expect(box[0] > 50 && box[2] < 200 && box[1] > 150 && box[3] < 300)
    }
}
