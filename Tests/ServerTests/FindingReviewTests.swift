import Foundation
import Service
import Testing
import TestSupport

/// A reviewer's verdicts carried out: `POST /jobs/{id}/review/apply` redacts the Markdown and the document again
/// with rejected findings left in and accepted ones taken out, beside the policy's own outputs.
@Suite(.serialized) struct FindingReviewTests {
    static let docsDev = Fixtures.shared.appendingPathComponent("corpora/docs-dev")

    /// The text of a PDF as the server reads it: the PDF sent as a new parse job.
    static func text(of pdf: Data, on server: TestServer) async throws -> String {
        let form = TestServer.form(file: pdf, filename: "copy.pdf", fields: ["formats": "md", "ocr": "false"])
        let submitted = try await server.request("POST", "/api/v1/documents", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
        let id = try #require(submitted.json["id"] as? String)
        _ = try await server.waitForJob(id)
        return try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator).text
    }

    @Test func aRejectedNameStaysAndAnAcceptedTaggedValueGoesInTheReviewedMarkdownAndPDF() async throws {
        let server = try await TestServer.start()
        let pdf = try Data(contentsOf: Self.docsDev.appendingPathComponent("d001.pdf"))
        let form = TestServer.form(file: pdf, filename: "d001.pdf", fields: ["formats": "md", "redact": "true", "ocr": "false"])
        let submitted = try await server.request("POST", "/api/v1/documents", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
        let id = try #require(submitted.json["id"] as? String)
        #expect(try await server.waitForJob(id)["state"] as? String == "succeeded")
        let markdown = Array(try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator).text.unicodeScalars)
        let findings = try #require(try await server.request("GET", "/api/v1/jobs/\(id)/result.findings.json", role: .operator).json["findings"] as? [[String: Any]])
        func value(_ finding: [String: Any]) -> String {
            String(String.UnicodeScalarView(markdown[(finding["start"] as! Int)..<(finding["end"] as! Int)]))
        }
        // A name the policy anonymizes, and an age it only tags.
        let name = try #require(findings.first { $0["type"] as? String == "PERSON" && $0["action"] as? String == "anonymize" })
        let age = try #require(findings.first { $0["type"] as? String == "AGE" && $0["action"] as? String == "tag" })
        let (nameText, ageText) = (value(name), value(age))
        let policyMarkdown = String(String.UnicodeScalarView(markdown))
        #expect(policyMarkdown.contains(ageText))

        // Nothing to apply before a review: the outputs are the policy's.
        let before = try await server.request("GET", "/api/v1/jobs/\(id)", role: .operator).json["outputs"] as? [String] ?? []
        #expect(!before.contains("result.reviewed.md"))
        for (finding, verdict) in [(name, "rejected"), (age, "accepted")] {
            #expect(try await server.request("POST", "/api/v1/jobs/\(id)/review", role: .operator,
                                             json: ["finding": finding["index"] as! Int, "verdict": verdict]).status == 200)
        }
        // An auditor may read but not redact.
        #expect(try await server.request("POST", "/api/v1/jobs/\(id)/review/apply", role: .auditor).status == 403)
        let applied = try await server.request("POST", "/api/v1/jobs/\(id)/review/apply", role: .operator)
        #expect(applied.status == 200, "\(applied.text)")
        #expect(applied.json["rejected"] as? Int == 1 && applied.json["accepted"] as? Int == 1)
        #expect(applied.json["residual"] as? Int == 0)
        let outputs = try #require(try await server.request("GET", "/api/v1/jobs/\(id)", role: .operator).json["outputs"] as? [String])
        #expect(Set(outputs).isSuperset(of: ["result.md", "result.redacted.pdf", "result.reviewed.md", "result.reviewed.pdf", "result.reviewed.json"]))

        let reviewed = try await server.request("GET", "/api/v1/jobs/\(id)/result.reviewed.md", role: .operator).text
        #expect(reviewed.contains(nameText))
        #expect(!reviewed.contains(ageText))
        // Every other anonymized value is still gone.
        let others = findings.filter { $0["action"] as? String == "anonymize" && value($0) != nameText }.map(value)
        #expect(!others.isEmpty)
        for other in others { #expect(!reviewed.contains(other), "\(other.count)-character \(other.unicodeScalars.count) value left in") }

        // The PDFs: the policy's copy hides the name, the reviewed copy shows it; both hide the rest.
        let policyCopy = try await Self.text(of: try await server.request("GET", "/api/v1/jobs/\(id)/result.redacted.pdf", role: .operator).body, on: server)
        let reviewedCopy = try await Self.text(of: try await server.request("GET", "/api/v1/jobs/\(id)/result.reviewed.pdf", role: .operator).body, on: server)
        #expect(!policyCopy.contains(nameText) && reviewedCopy.contains(nameText))
        let idNumbers = findings.filter { $0["type"] as? String == "ID_NUMBER" }.map(value)
        #expect(!idNumbers.isEmpty)
        for number in idNumbers { #expect(!policyCopy.contains(number) && !reviewedCopy.contains(number)) }

        // Applying is audited, with hashes only.
        let audit = try await server.request("GET", "/api/v1/audit/records?limit=100", role: .auditor)
        #expect(audit.text.contains("job.review.apply") && !audit.text.contains(nameText))
        await server.stop()
    }

    @Test func applyingAReviewNeedsTheFindingsOfASucceededMarkdownJob() async throws {
        let server = try await TestServer.start()
        let docx = try Data(contentsOf: Self.docsDev.appendingPathComponent("d002.docx"))
        let submitted = try await server.request("POST", "/api/v1/documents?formats=json", role: .operator, body: docx,
                                                 headers: ["X-Filename": "d002.docx", "Content-Type": "application/octet-stream"])
        let id = try #require(submitted.json["id"] as? String)
        _ = try await server.waitForJob(id)
        let refused = try await server.request("POST", "/api/v1/jobs/\(id)/review/apply", role: .operator)
        #expect(refused.status == 409)
        #expect(try await server.request("POST", "/api/v1/jobs/nope/review/apply", role: .operator).status == 404)
        await server.stop()
    }
}
