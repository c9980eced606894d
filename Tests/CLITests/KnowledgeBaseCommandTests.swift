import Foundation
import Testing
import TestSupport

@Suite("medlocal kb")
struct KnowledgeBaseCommandTests {
    @Test("A mapped label gets its disease, advice and the disclaimer; an unmapped one says there is no entry")
    func lookup() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mapped = try Run(["kb", "lookup", "--model", "pneumonia", "--label", "pneumonia", "--data-dir", "var"], in: folder)
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stdout.contains("ICD-10 J18.9") && mapped.stdout.contains("肺炎") && mapped.stdout.contains("Advice:"))
        #expect(mapped.stdout.contains("Decision support, not a diagnosis"))
        let unmapped = try Run(["kb", "lookup", "--model", "cells", "--label", "RBC", "--data-dir", "var", "--json"], in: folder)
        let json = try #require(JSONSerialization.jsonObject(with: Data(unmapped.stdout.utf8)) as? [String: Any])
        #expect(json["disease"] == nil || json["disease"] is NSNull)
        #expect((json["message"] as? String)?.contains("no knowledge base entry") == true)
        #expect((json["disclaimer"] as? String)?.contains("not a diagnosis") == true)
    }

    @Test("Import adds diseases and mappings, export writes them back, and a bad file is refused with the field named")
    func importExport() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cells.yaml")
        try """
            version: 1
            diseases:
              - {code: D72.8, name_en: Other specified disorders of white blood cells, name_zh: 白细胞其他特指疾患,
                 description: A smear with many white cells., treatment: Repeat the full blood count with a manual differential., urgency: soon, source: local}
            mappings:
              - {model: cells, label: WBC, code: D72.8}
              - {model: cells, label: Platelets, code: Z03.9}
            """.write(to: file, atomically: true, encoding: .utf8)
        let imported = try Run(["kb", "import", file.path, "--data-dir", "var"], in: folder)
        #expect(imported.status == 0 && imported.stdout.contains("imported 1 disease(s) and 2 label mapping(s)"), "\(imported.stderr)")
        #expect(try Run(["kb", "lookup", "--model", "cells", "--label", "WBC", "--data-dir", "var"], in: folder).stdout.contains("D72.8"))
        let exported = try Run(["kb", "export", "--data-dir", "var"], in: folder)
        #expect(exported.stdout.contains("D72.8") && exported.stdout.contains("J18.9") && exported.stdout.contains("label: Platelets"))

        for (text, problem) in [
            ("version: 1\ndiseases:\n  - {code: X, name_en: a, name_zh: b, description: c, treatment: d, urgency: soon, source: e}\nmappings: []\n", "not an ICD-10 code"),
            ("version: 1\ndiseases:\n  - {code: A00, name_en: a, name_zh: b, description: c, treatment: d, source: e}\nmappings: []\n", "missing field \"urgency\""),
            ("version: 1\ndiseases: []\nmappings:\n  - {model: m, label: l, code: Q99.9}\n", "not a disease in the file or the knowledge base"),
        ] {
            try text.write(to: file, atomically: true, encoding: .utf8)
            let refused = try Run(["kb", "import", file.path, "--data-dir", "var"], in: folder)
            #expect(refused.status == 1 && refused.stderr.contains("cells.yaml") && refused.stderr.contains(problem), "\(refused.stderr)")
        }
    }
}
