import Foundation
import Server
import Service
import Testing
import TestSupport

/// `serve --encrypt-at-rest`: what the blob folder keeps is sealed, results come back whole, plaintext lives only
/// in the RAM work folder and only while a job runs.
@Suite(.serialized) struct EncryptionAtRestTests {
    static let docsDev = Fixtures.shared.appendingPathComponent("corpora/docs-dev")
    static let magic = Data("MLSEAL2\n".utf8)

    /// Every file under `folder`, with its path relative to it.
    static func files(under folder: URL) -> [(name: String, data: Data)] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [(String, Data)] = []
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, let data = try? Data(contentsOf: url) else { continue }
            found.append((String(url.path.dropFirst(folder.path.count + 1)), data))
        }
        return found
    }

    @Test func storedUploadsAndOutputsAreSealedAndComeBackWholeThroughTheAPI() async throws {
        let work = "/dev/shm/medlocal-test-\(UUID().uuidString.lowercased())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let server = try await TestServer.start(arguments: ["--encrypt-at-rest", "--work-dir", work])
        let pdf = try Data(contentsOf: Self.docsDev.appendingPathComponent("d001.pdf"))
        let form = TestServer.form(file: pdf, filename: "d001.pdf", fields: ["formats": "md,json", "redact": "true", "ocr": "false"])
        let submitted = try await server.request("POST", "/api/v1/documents", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
        let id = try #require(submitted.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let outputs = try #require(job["outputs"] as? [String])

        let markdown = try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator)
        #expect(markdown.status == 200)
        #expect(markdown.text.contains("出院小结"))
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)/result.redacted.pdf", role: .operator).body.starts(with: Data("%PDF-".utf8)))
        let page = try #require(outputs.first { $0.hasPrefix("result_pages/") })
        #expect(try await server.request("GET", "/api/v1/jobs/\(id)/\(page)", role: .operator).body.starts(with: Data([0x89, 0x50, 0x4E, 0x47])))
        // The review reads the sealed findings list.
        #expect(try await server.request("POST", "/api/v1/jobs/\(id)/review", role: .operator, json: ["finding": 0, "verdict": "rejected"]).status == 200)

        // On disk: the upload and every output sealed (the review verdicts hold indexes only), no plaintext anywhere.
        let stored = Self.files(under: server.data.appendingPathComponent("blobs/\(id)"))
        #expect(stored.count == outputs.count + 2)   // input, outputs, review.json
        for file in stored where file.name != "review.json" {
            #expect(file.data.starts(with: Self.magic), "\(file.name) is not sealed")
            #expect(file.data.range(of: Data("出院小结".utf8)) == nil && file.data.range(of: Data("%PDF-".utf8)) == nil, "\(file.name) holds plaintext")
        }
        // The RAM work folder is empty once the job is done.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).isEmpty)

        // A sealed output altered on disk is refused, not served.
        let sealedMarkdown = server.data.appendingPathComponent("blobs/\(id)/out/result.md")
        var bytes = try Data(contentsOf: sealedMarkdown)
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: sealedMarkdown)
        let altered = try await server.request("GET", "/api/v1/jobs/\(id)/result.md", role: .operator)
        #expect(altered.status == 500)
        #expect(altered.json["detail"] as? String != nil)
        #expect(!altered.text.contains("出院小结"))
        await server.stop()
    }

    @Test func aDICOMStudyIsDeidentifiedFromItsSealedUploadIntoASealedArchive() async throws {
        let work = "/dev/shm/medlocal-test-\(UUID().uuidString.lowercased())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let server = try await TestServer.start(arguments: ["--encrypt-at-rest", "--work-dir", work])
        let (name, file) = try #require(try DICOMJobTests.corpusFiles().first)
        let form = TestServer.form(file: file, filename: name)
        let submitted = try await server.request("POST", "/api/v1/dicom/deid", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
        let id = try #require(submitted.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let archive = try await server.request("GET", "/api/v1/jobs/\(id)/result.zip", role: .operator)
        #expect(archive.body.starts(with: Data("PK".utf8)))
        for stored in Self.files(under: server.data.appendingPathComponent("blobs/\(id)")) {
            #expect(stored.data.starts(with: Self.magic), "\(stored.name) is not sealed")
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).isEmpty)
        await server.stop()
    }

    @Test func aWorkFolderOnADiskIsRefusedAtStart() throws {
        let disk = Fixtures.repositoryRoot.appendingPathComponent(".build/not-ram-\(UUID().uuidString.lowercased())").path
        defer { try? FileManager.default.removeItem(atPath: disk) }
        guard !RAMFolder.isRAM(disk) else { return }   // a checkout on tmpfs has no disk folder to refuse
        let (folder, _, _) = try TestServer.prepare()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let run = ExternalCommand.run(Fixtures.medlocalBinary, ["serve", "--port", "0", "--data-dir", data, "--key-file", data + "/key",
                                                                "--encrypt-at-rest", "--work-dir", disk])
        #expect(run.status != 0)
        #expect(run.errors.contains(disk) && run.errors.contains("tmpfs"), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: disk))
    }
}
