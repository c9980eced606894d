import Documents
import DocumentsMuPDF
import Foundation
import Testing
import TestSupport

@Suite("FHIR export")
struct FHIRExportTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/docs-dev")

    private func bundle(_ id: String, identifiers: Bool = false) throws -> [String: Any] {
        let document = try PDFDocumentReader(backend: MuPDFBackend()).read(Self.corpus.appendingPathComponent("\(id).pdf").path, displayName: id)
        let data = try FHIRExporter(includePatientIdentifiers: identifiers, date: Date(timeIntervalSince1970: 0)).export(document)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func resources(_ bundle: [String: Any]) -> [[String: Any]] {
        (bundle["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
    }

    @Test("A discharge summary exports Patient, Composition, DiagnosticReport and one Observation per lab row")
    func structure() throws {
        let bundle = try bundle("d001")
        #expect(bundle["resourceType"] as? String == "Bundle" && bundle["type"] as? String == "collection")
        let types = resources(bundle).compactMap { $0["resourceType"] as? String }
        #expect(types.filter { $0 == "Patient" }.count == 1)
        #expect(types.filter { $0 == "Composition" }.count == 1)
        #expect(types.filter { $0 == "DiagnosticReport" }.count == 1)
        #expect(types.filter { $0 == "Observation" }.count == 8)
        let composition = try #require(resources(bundle).first { $0["resourceType"] as? String == "Composition" })
        for key in ["status", "type", "subject", "date", "author", "title", "section"] { #expect(composition[key] != nil, "Composition.\(key)") }
    }

    @Test("Every reference resolves to an entry of the Bundle, and ids are unique")
    func references() throws {
        let bundle = try bundle("d007")
        let entries = bundle["entry"] as? [[String: Any]] ?? []
        let urls = entries.compactMap { $0["fullUrl"] as? String }
        #expect(Set(urls).count == urls.count)
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["reference"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] { array.forEach(collect) }
        }
        collect(entries)
        #expect(!references.isEmpty)
        #expect(references.allSatisfy(Set(urls).contains))
    }

    @Test("Observations carry UCUM quantities, reference ranges and interpretations")
    func observations() throws {
        let observations = resources(try bundle("d001")).filter { $0["resourceType"] as? String == "Observation" }
        let neutrophils = try #require(observations.first { ($0["code"] as? [String: Any])?["text"] as? String == "中性粒细胞百分比" })
        let quantity = try #require(neutrophils["valueQuantity"] as? [String: Any])
        #expect(quantity["value"] as? Double == 86.7)
        #expect(quantity["system"] as? String == "http://unitsofmeasure.org" && quantity["code"] as? String == "%")
        let range = try #require((neutrophils["referenceRange"] as? [[String: Any]])?.first)
        #expect((range["low"] as? [String: Any])?["value"] as? Double == 40)
        let interpretation = (neutrophils["interpretation"] as? [[String: Any]])?.first?["coding"] as? [[String: Any]]
        #expect(interpretation?.first?["code"] as? String == "H")
        let wbc = try #require(observations.first { ($0["code"] as? [String: Any])?["text"] as? String == "白细胞计数" })
        #expect((wbc["valueQuantity"] as? [String: Any])?["code"] as? String == "10*9/L")
    }

    @Test("Patient identifiers appear only when asked for")
    func identifiers() throws {
        let patient = { (bundle: [String: Any]) in self.resources(bundle).first { $0["resourceType"] as? String == "Patient" } }
        #expect(try patient(bundle("d001"))?["identifier"] == nil)
        let identified = try #require(try patient(bundle("d001", identifiers: true))?["identifier"] as? [[String: Any]])
        #expect(identified.contains { $0["value"] as? String == "86778051" })
    }

    @Test("The same document exports to the same Bundle")
    func deterministic() throws {
        let first = try JSONSerialization.data(withJSONObject: try bundle("d002"), options: .sortedKeys)
        let second = try JSONSerialization.data(withJSONObject: try bundle("d002"), options: .sortedKeys)
        #expect(first == second)
    }
}
