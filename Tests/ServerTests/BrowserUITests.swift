import Foundation
import Service
import Testing
import TestSupport

/// The browser UI in a real browser: headless Chromium (Debian's) driven through chromedriver signs in with an API
/// key, uploads a dev document by its file input, waits for the job, and checks the result page — Markdown beside
/// the page image, PHI highlighted, a finding rejected and kept — then the DICOM, policy and audit pages, in
/// English and Chinese. Screenshots land in .build/ui-shots for a person to look at.
@Suite("Browser UI", .serialized)
struct BrowserUITests {
    static let shots = Fixtures.repositoryRoot.appendingPathComponent(".build/ui-shots")
    static let document = Fixtures.shared.appendingPathComponent("corpora/docs-dev/d001.pdf")
    static let dicom = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/002_MR_small.dcm")

    @Test func anOperatorUploadsADocumentAndReviewsItsHighlightedFindingsBesideThePage() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let browser = try await WebDriver(profile: server.folder.appendingPathComponent("chromium"))
        do {
            try await browser.open(server.base)
            try await browser.type(try #require(server.keys[.operator]), into: "#key")
            try await browser.click("#login button[type=submit]")
            _ = try await browser.element("#drop")
            try await browser.click("#redact")
            try await browser.type(Self.document.path, into: "#file-input")
            try await browser.waitUntil("return !!document.querySelector('#job-table tr[data-state=succeeded]')", timeout: 120, "the job to succeed")
            try await browser.screenshot(to: Self.shots.appendingPathComponent("01-jobs.png"))

            try await browser.click("#job-table tr[data-state=succeeded] a")
            try await browser.waitUntil("return document.querySelectorAll('#markdown mark.phi').length > 0", "highlighted findings")
            try await browser.waitUntil("const i = document.querySelector('#page-image'); return !!i && i.complete && i.naturalWidth > 0", "the page image")
            let heading = try await browser.text("#markdown h1")
            #expect(heading.contains("南昌市第一人民医院"))
            let marks = try await browser.run("return [...document.querySelectorAll('#markdown mark.phi')].map(m => m.className + '|' + m.title)") as? [String] ?? []
            #expect(marks.count >= 5, "\(marks)")
            #expect(marks.contains { $0.contains("t-PERSON") && $0.contains("score") }, "\(marks)")
            #expect(marks.contains { $0.contains("t-ID_NUMBER") }, "\(marks)")
            let listed = try await browser.run("return document.querySelectorAll('#findings .finding').length") as? Int ?? 0
            #expect(listed == marks.count || listed > marks.count)   // a finding across a table cell is listed, not marked
            try await browser.screenshot(to: Self.shots.appendingPathComponent("02-result.png"))

            // Reject the first highlighted finding: shown struck through in the list and the text, kept by the server.
            let first = try #require(try await browser.run("return document.querySelector('#markdown mark[data-finding]').dataset.finding") as? String)
            try await browser.click("#findings [data-verdict=rejected][data-index=\"\(first)\"]")
            try await browser.waitUntil("return !!document.querySelector('#findings .finding.rejected') && !!document.querySelector('#markdown mark.rejected')", "the rejection")
            let jobID = try #require(try await browser.run("return location.hash.split('/')[2]") as? String)
            let review = try await server.request("GET", "/api/v1/jobs/\(jobID)/review", role: .operator)
            #expect(review.json["verdicts"] as? [String: String] == [first: "rejected"])
            // Applying the review redacts again; the reviewed copies join the downloads.
            try await browser.click("#apply-review")
            try await browser.waitUntil("return !!document.querySelector('[data-download=\"result.reviewed.pdf\"]')", "the reviewed outputs")

            // The redaction preview tab shows original | redacted pages.
            try await browser.click("[data-tab=preview]")
            try await browser.waitUntil("const i = document.querySelector('#preview img'); return !!i && i.complete && i.naturalWidth > 0", "the redaction preview")
            try await browser.screenshot(to: Self.shots.appendingPathComponent("03-redaction-preview.png"))

            // Chinese UI text.
            try await browser.click("#lang")
            try await browser.waitUntil("return document.querySelector('#nav a').innerText === '文档'", "Chinese navigation")
            try await browser.waitUntil("return document.querySelectorAll('#markdown mark.phi').length > 0", "the result again")
            try await browser.screenshot(to: Self.shots.appendingPathComponent("04-result-zh.png"))
            try await browser.click("#lang")

            // A DICOM file de-identified from its page, with the report.
            try await browser.click("#nav a[href='#/dicom']")
            _ = try await browser.element("input[name=profile]")
            try await browser.type(Self.dicom.path, into: "#file-input")
            try await browser.waitUntil("return !!document.querySelector('#dicom-report')", timeout: 90, "the DICOM report")
            let report = try await browser.text("#dicom-report")
            #expect(report.contains("002_MR_small.dcm") && report.contains("deidentified"))
            try await browser.screenshot(to: Self.shots.appendingPathComponent("05-dicom.png"))

            // Operators see policies but cannot activate, and have no audit page.
            try await browser.click("#nav a[href='#/policies']")
            try await browser.waitUntil("const e = document.querySelector('#policy-yaml'); return !!e && e.value.includes('server-test')", "the active policy's YAML")
            #expect(try await browser.run("return document.querySelectorAll('[data-activate]').length") as? Int == 0)
            #expect(try await browser.run("return document.querySelector('#nav-audit').hidden") as? Bool == true)
            try await browser.screenshot(to: Self.shots.appendingPathComponent("06-policies.png"))
        } catch {
            try? await browser.screenshot(to: Self.shots.appendingPathComponent("failure-operator.png"))
            await browser.quit()
            throw error
        }
        await browser.quit()
    }

    @Test func anAuditorSeesTheVerifiedTrailAndAnAdminValidatesAPolicy() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        _ = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": "患者张三，电话13812345678。"])
        let browser = try await WebDriver(profile: server.folder.appendingPathComponent("chromium"))
        do {
            try await browser.open(server.base)
            try await browser.type(try #require(server.keys[.auditor]), into: "#key")
            try await browser.click("#login button[type=submit]")
            try await browser.waitUntil("return !document.querySelector('#nav').hidden", "the signed-in page")
            #expect(try await browser.run("return document.querySelector('#drop') === null") as? Bool == true)   // auditors do not upload
            try await browser.click("#nav a[href='#/audit']")
            try await browser.waitUntil("return !!document.querySelector('#audit-table tbody tr')", "audit records")
            let verified = try await browser.text("#audit-verify")
            #expect(verified.contains("intact"))
            let table = try await browser.text("#audit-table")
            #expect(table.contains("phi.scan") || table.contains("scan"))
            #expect(!table.contains("张三") && !table.contains("13812345678"))   // digests and types, never values
            try await browser.screenshot(to: Self.shots.appendingPathComponent("07-audit.png"))

            try await browser.click("#logout")
            try await browser.type(try #require(server.keys[.admin]), into: "#key")
            try await browser.click("#login button[type=submit]")
            try await browser.waitUntil("return !document.querySelector('#nav').hidden", "the signed-in page")
            try await browser.click("#nav a[href='#/policies']")
            try await browser.waitUntil("const e = document.querySelector('#policy-yaml'); return !!e && e.value.length > 0", "the policy editor")
            _ = try await browser.run("document.querySelector('#policy-yaml').value = 'version: v1.0\\nname: broken\\nentities:\\n  PERSON: {action: explode}\\n'; return true")
            try await browser.click("#validate")
            try await browser.waitUntil("return !!document.querySelector('#editor-status .error')", "the validation errors")
            let errors = try await browser.text("#editor-status")
            #expect(errors.contains("line") && errors.contains("explode"))
            try await browser.screenshot(to: Self.shots.appendingPathComponent("08-policy-invalid.png"))
            #expect(try await browser.run("return document.querySelectorAll('[data-activate]').length") as? Int ?? 0 > 0)
        } catch {
            try? await browser.screenshot(to: Self.shots.appendingPathComponent("failure-auditor.png"))
            await browser.quit()
            throw error
        }
        await browser.quit()
    }

    @Test func anOperatorClassifiesAnImageOnTheDiagnosisPageAndSeesTheAdviceWithTheDisclaimer() async throws {
        let server = try await TestServer.start { _, data, _ in try ModelRoutesTests.trainCells(into: data) }
        defer { Task { await server.stop() } }
        let browser = try await WebDriver(profile: server.folder.appendingPathComponent("chromium"))
        let wbc = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells/WBC")
        let unseen = wbc.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: wbc.path).sorted()[40])
        do {
            try await browser.open(server.base)
            try await browser.type(try #require(server.keys[.operator]), into: "#key")
            try await browser.click("#login button[type=submit]")
            _ = try await browser.element("#drop")
            try await browser.click("#nav a[href='#/diagnosis']")
            _ = try await browser.element("#diagnosis-model")
            try await browser.type(unseen.path, into: "#file-input")
            try await browser.waitUntil("return !!document.querySelector('#diagnosis-card')", timeout: 60, "the diagnosis result")
            #expect(try await browser.text("#diagnosis-label").contains("WBC"))
            #expect(try await browser.text("#diagnosis-disclaimer").contains("not a diagnosis"))
            try await browser.screenshot(to: Self.shots.appendingPathComponent("09-diagnosis.png"))
        } catch {
            try? await browser.screenshot(to: Self.shots.appendingPathComponent("failure-diagnosis.png"))
            await browser.quit()
            throw error
        }
        await browser.quit()
    }
}
