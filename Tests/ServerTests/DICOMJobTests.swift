import Foundation
import Service
import Testing
import TestSupport
import ZIPFoundation

@Suite("POST /api/v1/dicom/deid", .serialized)
struct DICOMJobTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/dicom-dev")

    /// A ZIP of `files` (name → bytes) made in memory.
    static func zip(_ files: [(String, Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (name, data) in files {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func corpusFiles() throws -> [(String, Data)] {
        let folder = corpus.appendingPathComponent("dicom")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// Runs the shared dicom-check on an output folder.
    static func dicomCheck(_ output: URL) throws -> (status: Int32, text: String) {
        let check = ExternalCommand.dicomCheck(corpus: corpus, output: output)
        return (check.status, check.output + check.errors)
    }

    func submit(_ server: TestServer, _ data: Data, filename: String, fields: [String: String] = [:]) async throws -> TestServer.Reply {
        let form = TestServer.form(file: data, filename: filename, fields: fields)
        return try await server.request("POST", "/api/v1/dicom/deid", role: .operator, body: form.body, headers: ["Content-Type": form.contentType])
    }

    @Test func aZippedStudyComesBackDeidentifiedUnderTheSameNamesAndPassesDicomCheck() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let files = try Self.corpusFiles()
        let reply = try await submit(server, try Self.zip(files), filename: "study.zip")
        #expect(reply.status == 202)
        let id = try #require(reply.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(job["kind"] as? String == "dicom")
        #expect((job["outputs"] as? [String])?.sorted() == ["result.report.json", "result.zip"])

        let result = try await server.request("GET", "/api/v1/jobs/\(id)/result.zip", role: .operator)
        #expect(result.status == 200 && result.headers["content-type"] == "application/zip")
        let archive = try Archive(data: result.body, accessMode: .read)
        let output = server.folder.appendingPathComponent("deidentified")
        var names: [String] = []
        for entry in archive {
            names.append(entry.path)
            _ = try archive.extract(entry, to: output.appendingPathComponent(entry.path))
        }
        #expect(names.sorted() == files.map(\.0))
        let check = try Self.dicomCheck(output)
        #expect(check.status == 0, "dicom-check failed:\n\(check.text.suffix(2000))")
        #expect(check.text.contains("PHI leaks by kind (files): none"))

        let report = try await server.request("GET", "/api/v1/jobs/\(id)/result.report.json", role: .operator)
        #expect(report.json["deidentified"] as? Int == files.count)
        #expect(!report.text.contains("ZY82582233") && !report.text.contains("梁"))   // counts and reasons, never values
        let metrics = try await server.request("GET", "/metrics")
        #expect(metrics.text.contains("medlocal_dicom_files_deidentified_total \(files.count)"))
    }

    @Test func oneFileWithAProfileOptionIsAJobToo() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent("dicom/001_CT_small.dcm"))
        let reply = try await submit(server, data, filename: "../ct 1.dcm", fields: ["options": "retain-long-modified-dates"])
        let id = try #require(reply.json["id"] as? String)
        let job = try await server.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let result = try await server.request("GET", "/api/v1/jobs/\(id)/result.zip", role: .operator)
        let archive = try Archive(data: result.body, accessMode: .read)
        #expect(archive.map(\.path) == ["ct_1.dcm"])
        let report = try await server.request("GET", "/api/v1/jobs/\(id)/result.report.json", role: .operator)
        #expect(report.json["options"] as? [String] == ["retain-long-modified-dates"])
    }

    @Test func aZipBombIsA413AndAnythingElseThatIsNotAStudyA422BeforeAJobExists() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // 64 MiB of zeros deflate to about 64 KiB: a ratio near 1,000.
        let archive = try Archive(accessMode: .create)
        let chunk = Data(count: 1 << 20)
        try archive.addEntry(with: "bomb.dcm", type: .file, uncompressedSize: Int64(64 << 20), compressionMethod: .deflate) { (_: Int64, size: Int) in chunk.prefix(size) }
        let bomb = try await submit(server, archive.data!, filename: "bomb.zip")
        #expect(bomb.status == 413, "\(bomb.text)")
        #expect(bomb.text.contains("zip bomb") && bomb.text.contains("bomb.zip"))

        let escaping = try await submit(server, try Self.zip([("../../etc/x.dcm", Data(count: 200))]), filename: "escape.zip")
        #expect(escaping.status == 422 && escaping.text.contains("leaves the archive"))
        let text = try await submit(server, Data("患者姓名：张三 not a DICOM file".utf8), filename: "note.txt")
        #expect(text.status == 422 && text.text.contains("note.txt") && !text.text.contains("张三"))
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent("dicom/002_MR_small.dcm"))
        let option = try await submit(server, data, filename: "mr.dcm", fields: ["options": "keep-everything"])
        #expect(option.status == 422 && option.text.contains("keep-everything"))
        let auditor = try await server.request("POST", "/api/v1/dicom/deid", role: .auditor, body: data, headers: ["X-Filename": "mr.dcm"])
        #expect(auditor.status == 403)

        let jobs = try await server.request("GET", "/api/v1/jobs", role: .admin)
        #expect(jobs.json["total"] as? Int == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.data.appendingPathComponent("blobs").path)
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
