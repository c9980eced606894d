import Audit
import Foundation
import Server
import Service
import TestSupport
import Workflows
import Testing

private let docsDev = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
private let note = "患者张伟，男，45岁，电话13812345678，2023年3月5日入院。"

/// The server through real HTTP on loopback: one server per suite, requests as a client would send them.
@Suite(.serialized) struct ServerEndToEndTests {
    @Test func healthReadinessMetricsAndTheSpecNeedNoKeyAndCarryARequestID() async throws {
        let server = try await TestServer.start()
        let health = try await server.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.headers["x-request-id"]?.isEmpty == false)
        #expect(try await server.request("GET", "/readyz").status == 200)
        let metrics = try await server.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("medlocal_jobs{state=\"queued\"} 0"))
        let spec = try await server.request("GET", "/openapi.json").json
        #expect(spec["openapi"] as? String == "3.1.0")
        await server.stop()
    }

    @Test func apiRoutesRefuseAMissingOrInvalidKeyWith401ProblemDetails() async throws {
        let server = try await TestServer.start()
        let missing = try await server.request("POST", "/api/v1/phi/scan", json: ["text": note])
        #expect(missing.status == 401)
        #expect(missing.headers["content-type"] == "application/problem+json")
        #expect(missing.json["type"] as? String == "urn:medlocal:problem:unauthorized")
        #expect(missing.headers["x-request-id"] == missing.json["requestId"] as? String)
        #expect(try await server.request("GET", "/api/v1/jobs", key: "mlk_" + String(repeating: "A", count: 43)).status == 401)
        #expect(try await server.request("GET", "/api/v1/jobs", key: "not-a-key").status == 401)
        #expect(try await server.request("GET", "/api/v1/me", role: .auditor).json["role"] as? String == "auditor")
        await server.stop()
    }

    @Test func scanReturnsFindingsWithCodePointOffsetsAndNoValuesUnlessAsked() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note])
        #expect(reply.status == 200)
        let entities = try #require(reply.json["entities"] as? [[String: Any]])
        let phone = try #require(entities.first { $0["type"] as? String == "PHONE_NUMBER" })
        let scalars = Array(note.unicodeScalars)
        let start = phone["start"] as! Int, end = phone["end"] as! Int
        #expect(String(String.UnicodeScalarView(scalars[start..<end])) == "13812345678")
        #expect(phone["action"] as? String == "anonymize")
        #expect(!reply.text.contains("13812345678"))
        #expect(entities.contains { $0["type"] as? String == "PERSON" })
        let withValues = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note, "includeValues": true])
        #expect(withValues.text.contains("13812345678"))
        await server.stop()
    }

    @Test func redactRewritesWhatThePolicyAnonymizes() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", "/api/v1/phi/redact", role: .operator, json: ["text": note])
        #expect(reply.status == 200)
        let text = try #require(reply.json["text"] as? String)
        #expect(!text.contains("13812345678"))
        #expect(!text.contains("张伟"))
        #expect(text.contains("入院"))
        await server.stop()
    }

    @Test func aBlockIsA403WithTheReasonAndNothingOfTheTextEchoed() async throws {
        let server = try await TestServer.start()
        let text = "患者身份证号 110101199003074573，请核对。"
        for route in ["/api/v1/phi/scan", "/api/v1/phi/redact"] {
            let reply = try await server.request("POST", route, role: .operator, json: ["text": text, "includeValues": true])
            #expect(reply.status == 403)
            #expect(reply.json["type"] as? String == "urn:medlocal:problem:policy-block")
            #expect(reply.json["policy"] as? String == "server-test v2.0")
            let blocking = try #require(reply.json["blocking"] as? [[String: Any]])
            #expect(blocking.first?["type"] as? String == "ID_NUMBER")
            #expect(!reply.text.contains("110101199003074573"))
            #expect(!reply.text.contains("核对"))
        }
        let metrics = try await server.request("GET", "/metrics").text
        #expect(metrics.contains("medlocal_policy_blocks_total 2"))
        await server.stop()
    }

    @Test func everyRequestIsAuditedBeforeItsResponseWithDigestsNotText() async throws {
        let server = try await TestServer.start()
        let before = try server.stores.audit.head().count
        async let first = server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note])
        async let second = server.request("POST", "/api/v1/phi/redact", role: .admin, json: ["text": note])
        _ = try await (first, second)
        // Durable before the responses came back: read through another connection.
        let records = try TestServer.openStores(server.folder.appendingPathComponent("var").path).audit.records(after: before, limit: 10)
        #expect(records.count == 2)
        let bodies = records.map(\.body).joined(separator: "\n")
        for expected in ["test-operator", "test-admin", "api.phi.scan", "api.phi.redact", "PHONE_NUMBER"] { #expect(bodies.contains(expected)) }
        #expect(!bodies.contains("13812345678") && !bodies.contains("张伟"))
        await server.stop()
    }

    @Test func rolesAreEnforcedPerRoute() async throws {
        let server = try await TestServer.start()
        let auditorScan = try await server.request("POST", "/api/v1/phi/scan", role: .auditor, json: ["text": note])
        #expect(auditorScan.status == 403)
        #expect(auditorScan.json["type"] as? String == "urn:medlocal:problem:forbidden")
        await server.stop()
    }

    @Test func aDigitalPDFBecomesAJobWhoseMarkdownAndRedactedCopyCanBeDownloaded() async throws {
        let server = try await TestServer.start()
        let pdf = try Data(contentsOf: docsDev.appendingPathComponent("d001.pdf"))
        let form = TestServer.form(file: pdf, filename: "d001.pdf", fields: ["formats": "md,json,fhir", "redact": "true", "ocr": "false"])
        let submitted = try await server.request("POST", "/api/v1/documents", role: .operator, body: form.body,
                                                 headers: ["Content-Type": form.contentType])
        #expect(submitted.status == 202)
        let id = try #require(submitted.json["id"] as? String)
        #expect(submitted.headers["location"] == "/api/v1/jobs/\(id)")
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let outputs = try #require(job["outputs"] as? [String])
        #expect(Set(outputs).isSuperset(of: ["result.md", "result.json", "result.fhir.json", "result.redacted.pdf", "result.redaction.json"]))
        let markdown = try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator)
        #expect(markdown.status == 200)
        #expect(markdown.text.contains("出院小结"))
        let redacted = try await server.request("GET", "/api/v1/jobs/\(id)/result.redacted.pdf", role: .operator)
        #expect(redacted.body.starts(with: Data("%PDF-".utf8)))
        // Another operator cannot see it; an admin can.
        let other = try server.stores.users.create(name: "other", role: .operator).key
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)", key: other).status == 404)
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)", role: .admin).status == 200)
        let listed = try await server.request("GET", "/api/v1/jobs?limit=10", role: .operator).json
        #expect(listed["total"] as? Int == 1)
        // Deleting removes the row and every file.
        #expect(try await server.request("DELETE", "/api/v1/jobs/\(id)", role: .operator).status == 204)
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)", role: .operator).status == 404)
        #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("var/blobs/\(id)").path))
        await server.stop()
    }

    @Test func aDOCXSentAsTheBareBodyIsParsed() async throws {
        let server = try await TestServer.start()
        let docx = try Data(contentsOf: docsDev.appendingPathComponent("d002.docx"))
        let submitted = try await server.request("POST", "/api/v1/documents?formats=md", role: .operator, body: docx,
                                                 headers: ["X-Filename": "d002.docx", "Content-Type": "application/octet-stream"])
        let id = try #require(submitted.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator).text.count > 200)
        await server.stop()
    }

    @Test func badUploadsGetClearErrorsAndLeaveNothingBehind() async throws {
        let server = try await TestServer.start()
        let garbage = TestServer.form(file: Data("this is not a pdf".utf8), filename: "report.pdf")
        let submitted = try await server.request("POST", "/api/v1/documents", role: .operator, body: garbage.body,
                                                 headers: ["Content-Type": garbage.contentType])
        let id = try #require(submitted.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "failed")
        #expect((job["error"] as? String)?.contains("not a PDF") == true)
        #expect(job["attempts"] as? Int == 1)   // the input's fault: not retried

        let tooLarge = TestServer.form(file: Data(count: 5 << 20), filename: "big.pdf")
        let refused = try await server.request("POST", "/api/v1/documents", role: .operator, body: tooLarge.body,
                                               headers: ["Content-Type": tooLarge.contentType])
        #expect(refused.status == 413)
        let badOption = TestServer.form(file: Data("%PDF-1.4".utf8), filename: "a.pdf", fields: ["formats": "docx"])
        #expect(try await server.request("POST", "/api/v1/documents", role: .operator, body: badOption.body,
                                         headers: ["Content-Type": badOption.contentType]).status == 422)
        #expect(try await server.request("POST", "/api/v1/documents", role: .operator, body: Data("x".utf8)).status == 400)
        let blobs = try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("var/blobs").path)
        #expect(blobs.filter { $0.hasPrefix(".upload-") }.isEmpty)
        #expect(try await server.request("GET", "/api/v1/nothing-here", role: .operator).status == 404)
        await server.stop()
    }

    @Test func aStopSignalLetsTheRunningJobFinishBeforeTheServerExits() async throws {
        let scan = try Data(contentsOf: docsDev.appendingPathComponent("d001.scan.pdf"))
        let server = try await TestServer.start()
        let submitted = try await server.request("POST", "/api/v1/documents?formats=md", role: .operator, body: scan,
                                                 headers: ["X-Filename": "d001.scan.pdf", "Content-Type": "application/pdf"])
        let id = try #require(submitted.json["id"] as? String)
        var state = ""
        for _ in 0..<200 where state != "running" {
            state = try await server.request("GET", "/api/v1/jobs/\(id)", role: .operator).json["state"] as? String ?? ""
            if state != "running" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(state == "running")
        #expect(server.process.terminate(timeout: 180) == 0)   // SIGTERM while OCR runs: the job drains, then a clean exit
        let job = try #require(try server.stores.jobs.job(id: id))
        #expect(job.state == .succeeded && job.attempts == 1, "\(job.state) after \(job.attempts) attempts")
        try? FileManager.default.removeItem(at: server.folder)
    }

    @Test func jobsLeftByAStoppedServerRunWhenItStartsAgain() async throws {
        let pdf = try Data(contentsOf: docsDev.appendingPathComponent("d002.pdf"))
        let server = try await TestServer.start { stores, data, keys in
            let owner = try #require(try stores.users.authenticate(key: keys[.operator]!)).id
            for id in ["running-at-crash", "queued-before-stop"] {
                let folder = data.appendingPathComponent("blobs/\(id)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try pdf.write(to: folder.appendingPathComponent("input.pdf"))
                try stores.jobs.enqueue(Job(id: id, kind: .document, owner: owner, inputName: "d002.pdf",
                                            options: ["formats": "md", "ocr": "false", "redact": "false"]))
            }
            // A worker of the earlier run took this one and was killed: its lease has lapsed.
            #expect(try stores.jobs.claim(worker: "killed", lease: 0.01, maxAttempts: 3)?.id == "running-at-crash")
            Thread.sleep(forTimeInterval: 0.05)
        }
        let resumed = try await server.waitForJob("running-at-crash")
        #expect(resumed["state"] as? String == "succeeded", "\(resumed)")
        #expect(resumed["attempts"] as? Int == 2)
        let queued = try await server.waitForJob("queued-before-stop")
        #expect(queued["state"] as? String == "succeeded", "\(queued)")
        #expect(try await server.request("GET", "/api/v1/jobs/queued-before-stop/result.md", role: .operator).text.contains("检验"))
        await server.stop()
    }
}

@Suite(.serialized) struct AuditRouteTests {
    @Test func auditorsVerifyAndExportTheTrailAndOperatorsCannot() async throws {
        let server = try await TestServer.start()
        for _ in 0..<3 { _ = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note]) }
        #expect(try await server.request("GET", "/api/v1/audit/verify", role: .operator).status == 403)
        #expect(try await server.request("GET", "/api/v1/audit/export", role: .operator).status == 403)
        let verified = try await server.request("GET", "/api/v1/audit/verify", role: .auditor)
        #expect(verified.status == 200)
        #expect(verified.json["valid"] as? Bool == true)
        #expect(verified.json["records"] as? Int == 3)
        let page = try await server.request("GET", "/api/v1/audit/records?limit=2", role: .auditor).json
        #expect((page["records"] as? [Any])?.count == 2)
        #expect(page["next"] as? Int == 2)
        let jsonl = try await server.request("GET", "/api/v1/audit/export", role: .admin)
        #expect(jsonl.text.split(separator: "\n").count == 3)
        #expect(jsonl.text.contains("\"operation\":\"api.phi.scan\"") && !jsonl.text.contains("13812345678"))
        let csv = try await server.request("GET", "/api/v1/audit/export?format=csv&since=2000-01-01", role: .auditor)
        #expect(csv.text.hasPrefix("sequence,time,actor"))
        #expect(csv.text.split(separator: "\n").count == 4)
        #expect(try await server.request("GET", "/api/v1/audit/export?since=yesterday", role: .auditor).status == 400)
        await server.stop()
    }
}

@Suite(.serialized) struct PolicyRouteTests {
    static let strict = """
        version: v2.0
        name: ward-strict
        entities:
          PHONE_NUMBER: {action: block}
        default: {action: tag}
        """

    @Test func anAdminUploadsAValidatedPolicyAndActivatesItForTheNextRequests() async throws {
        let server = try await TestServer.start()
        let listing = try await server.request("GET", "/api/v1/policies", role: .operator).json
        #expect((listing["policies"] as? [[String: Any]])?.contains { $0["id"] as? String == "hospital-default" } == true)
        let yaml = Data(Self.strict.utf8)
        #expect(try await server.request("POST", "/api/v1/policies", role: .operator, body: yaml).status == 403)

        let broken = try await server.request("POST", "/api/v1/policies", role: .admin, body: Data("version: v2.0\nentities:\n  PERSON: {action: shred}\n".utf8))
        #expect(broken.status == 422)
        let problems = try #require(broken.json["errors"] as? [[String: Any]])
        #expect(problems.first?["line"] as? Int == 3)

        let stored = try await server.request("POST", "/api/v1/policies", role: .admin, body: yaml)
        #expect(stored.status == 201)
        #expect(stored.json["id"] as? String == "ward-strict@v2.0")
        #expect(try await server.request("POST", "/api/v1/policies", role: .admin, body: yaml).status == 201)   // same text: fine
        #expect(try await server.request("POST", "/api/v1/policies", role: .admin, body: Data((Self.strict + "\n# changed\n").utf8)).status == 409)

        let before = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note])
        #expect(before.status == 200)
        #expect(try await server.request("POST", "/api/v1/policies/ward-strict@v2.0/activate", role: .operator).status == 403)
        #expect(try await server.request("POST", "/api/v1/policies/ward-strict@v2.0/activate", role: .admin).status == 200)
        let after = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note])
        #expect(after.status == 403)
        #expect(after.json["policy"] as? String == "ward-strict v2.0")
        #expect(try await server.request("GET", "/api/v1/policies", role: .auditor).json["active"] as? String == "ward-strict@v2.0")
        #expect(try await server.request("GET", "/api/v1/policies/ward-strict@v2.0", role: .auditor).text.contains("PHONE_NUMBER: {action: block}"))
        await server.stop()
    }

    @Test func aShadowRunShowsWhatACandidatePolicyWouldChangeAndLeakWithoutActivatingIt() async throws {
        let server = try await TestServer.start()
        #expect(try await server.request("POST", "/api/v1/policies", role: .admin, body: Data(Self.strict.utf8)).status == 201)
        // One note with a phone (the candidate blocks phones), one without; both labelled with their gold names.
        let quiet = "复诊记录：患者李秀英，女，62岁，血压平稳，继续原方案治疗。"
        let corpus = [
            ["id": "with-phone", "text": note, "entities": [["start": 2, "end": 4, "type": "PERSON"]]],
            ["id": "no-phone", "text": quiet, "entities": [["start": 7, "end": 10, "type": "PERSON"]]],
        ].map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        let body = Data(corpus.utf8)

        #expect(try await server.request("POST", "/api/v1/policies/ward-strict@v2.0/shadow", role: .operator, body: body).status == 403)
        #expect(try await server.request("POST", "/api/v1/policies/nothing@v9/shadow", role: .admin, body: body).status == 404)
        #expect(try await server.request("POST", "/api/v1/policies/ward-strict@v2.0/shadow", role: .admin, body: Data("{not json".utf8)).status == 422)

        let reply = try await server.request("POST", "/api/v1/policies/ward-strict@v2.0/shadow", role: .admin, body: body)
        #expect(reply.status == 200)
        let report = reply.json
        #expect(report["documents"] as? Int == 2)
        #expect(report["newlyBlocked"] as? Int == 1)
        let changed = try #require(report["changedItems"] as? [[String: Any]])
        // Newly blocked items come first; the other changes because the candidate no longer rewrites its name.
        #expect(changed.map { $0["id"] as? String } == ["with-phone", "no-phone"])
        #expect(changed.first?["candidate"] as? String == "block")
        #expect(changed.last?["active"] as? String == "anonymize")
        #expect(changed.last?["candidate"] as? String == "tag")
        // The active test policy pseudonymizes names; the candidate only tags them: the name findings' actions change…
        let personChanges = try #require((report["findingChanges"] as? [String: [String: Int]])?["PERSON"])
        #expect(personChanges.keys.contains { $0.hasPrefix("anonymize") && $0.hasSuffix("tag") })
        // …and the labelled corpus shows names protected by the active policy and not by the candidate.
        let leakage = try #require(report["leakage"] as? [String: [String: Any]])
        #expect((leakage["active"]?["protectedTypes"] as? [String])?.contains("PERSON") == true)
        #expect((leakage["candidate"]?["protectedTypes"] as? [String])?.contains("PERSON") == false)
        #expect(leakage["active"]?["leakedCharacters"] as? Int == 0)
        #expect(!reply.text.contains("李秀英") && !reply.text.contains("13812345678"))
        // Nothing was activated: the next scan is still decided by the server's own policy.
        #expect(try await server.request("GET", "/api/v1/policies", role: .admin).json["active"] as? String != "ward-strict@v2.0")
        #expect(try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": note]).status == 200)
        await server.stop()
    }
}
