import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Service
import Testing
import TestSupport

/// `medlocal backup` while the server works, then `restore-backup` into a new folder: a server there serves the
/// same results, the same users' keys work, and the audit chain verifies. A backup altered or opened with
/// another key is refused with the file named.
@Suite(.serialized) struct BackupRestoreTests {
    static let docsDev = Fixtures.shared.appendingPathComponent("corpora/docs-dev")

    func submit(_ server: TestServer, _ name: String, fields: [String: String]) async throws -> String {
        let form = TestServer.form(file: try Data(contentsOf: Self.docsDev.appendingPathComponent(name)), filename: name, fields: fields)
        let reply = try await server.request("POST", "/api/v1/documents", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
        return try #require(reply.json["id"] as? String)
    }

    @Test func aBackupTakenWhileJobsRunRestoresToAServerWithTheSameResultsAndAVerifiedChain() async throws {
        let server = try await TestServer.start()
        let folder = try Fixtures.temporaryDirectory()   // outlives the server's own folder, which stop() removes
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("key").path
        try FileManager.default.copyItem(atPath: server.data.appendingPathComponent("key").path, toPath: key)
        let done = try await submit(server, "d001.pdf", fields: ["formats": "md", "ocr": "false"])
        #expect(try await server.waitForJob(done)["state"] as? String == "succeeded")
        let markdown = try await server.request("GET", "/api/v1/jobs/\(done)/result.md", role: .operator).body
        _ = try await server.request("POST", "/api/v1/phi/scan", role: .operator, json: ["text": "患者张伟，电话13812345678。"])
        // A scan job with OCR is running while the backup is taken.
        let running = try await submit(server, "d002.scan.pdf", fields: ["formats": "md"])
        let backup = folder.appendingPathComponent("backup").path
        let made = ExternalCommand.run(Fixtures.medlocalBinary, ["backup", backup, "--data-dir", server.data.path, "--key-file", key])
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.output.contains("Backed up"))
        _ = try await server.waitForJob(running)
        await server.stop()

        // Nothing in the backup is readable without the key, and the key itself is not there.
        let stored = FileManager.default.enumerator(atPath: backup)?.compactMap { $0 as? String } ?? []
        #expect(!stored.contains { ($0 as NSString).lastPathComponent == "key" })
        #expect(stored.contains("files/medlocal.sqlite"))
        for name in stored where name.hasPrefix("files/") && !name.hasSuffix("/") {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: backup + "/" + name))) ?? Data("MLSEAL2\n".utf8)
            #expect(data.starts(with: Data("MLSEAL2\n".utf8)), "\(name) is not sealed")
        }

        let restored = folder.appendingPathComponent("restored").path
        let restore = ExternalCommand.run(Fixtures.medlocalBinary, ["restore-backup", backup, "--data-dir", restored, "--key-file", key])
        #expect(restore.status == 0, "\(restore.errors)")
        let verify = ExternalCommand.run(Fixtures.medlocalBinary, ["audit", "verify", "--data-dir", restored])
        #expect(verify.status == 0, "\(verify.output) \(verify.errors)")
        #expect(verify.output.contains("audit log valid"))

        let again = try ServerProcess(["serve", "--port", "0", "--data-dir", restored, "--key-file", key], in: folder)
        defer { _ = again.terminate() }
        let base = try again.waitUntilServing()
        var request = URLRequest(url: base.appendingPathComponent("api/v1/jobs/\(done)/result.md"))
        request.setValue("Bearer \(server.keys[.operator]!)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(body == markdown)

        // A second restore into the now non-empty folder is refused; so are an altered backup and another key.
        #expect(ExternalCommand.run(Fixtures.medlocalBinary, ["restore-backup", backup, "--data-dir", restored, "--key-file", key]).errors.contains("not empty"))
        let sealedDatabase = backup + "/files/medlocal.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: sealedDatabase))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: sealedDatabase))
        let altered = ExternalCommand.run(Fixtures.medlocalBinary, ["restore-backup", backup, "--data-dir", folder.appendingPathComponent("r2").path, "--key-file", key])
        #expect(altered.status != 0)
        #expect(altered.errors.contains(sealedDatabase), "\(altered.errors)")
        let otherKey = folder.appendingPathComponent("other.key").path
        #expect(ExternalCommand.run(Fixtures.medlocalBinary, ["keygen", "-o", otherKey]).status == 0)
        let wrong = ExternalCommand.run(Fixtures.medlocalBinary, ["restore-backup", backup, "--data-dir", folder.appendingPathComponent("r3").path, "--key-file", otherKey])
        #expect(wrong.status != 0)
        #expect(wrong.errors.contains("key"))
    }
}
