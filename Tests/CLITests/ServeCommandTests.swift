import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

func get(_ url: URL, key: String? = nil) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: url)
    if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
}

@Suite("medlocal serve", .serialized)
struct ServeCommandTests {
    @Test func theFirstStartCreatesAnAdminWhoseKeyWorksAndSIGTERMStopsCleanly() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess(["serve", "--port", "0"], in: folder)
        let base = try server.waitUntilServing()
        let lines = server.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let adminKey = try #require(lines.first { $0.hasPrefix("mlk_") })
        #expect(try await get(base.appendingPathComponent("healthz")).status == 200)
        let me = try await get(base.appendingPathComponent("api/v1/me"), key: adminKey)
        #expect(me.status == 200 && me.body.contains("\"role\":\"admin\""))

        // A user added while the server runs can use its key at once; the key is the last line printed.
        let added = try Run(["users", "add", "ward-7", "--role", "operator"], in: folder)
        #expect(added.status == 0)
        let operatorKey = try #require(added.stdout.split(separator: "\n").last.map(String.init))
        #expect(operatorKey.hasPrefix("mlk_") && operatorKey.count == 47)
        let asOperator = try await get(base.appendingPathComponent("api/v1/me"), key: operatorKey)
        #expect(asOperator.body.contains("\"role\":\"operator\""))
        let listed = try Run(["users", "list"], in: folder)
        #expect(listed.stdout.contains("ward-7\toperator") && !listed.stdout.contains(operatorKey))

        #expect(server.terminate() == 0)
        // The log names routes and statuses, never keys.
        #expect(server.stderr.contains("http.route=/api/v1/me"))
        #expect(!server.stderr.contains(adminKey) && !server.stderr.contains(operatorKey))
        // A second start creates no new admin.
        let again = try ServerProcess(["serve", "--port", "0"], in: folder)
        _ = try again.waitUntilServing()
        #expect(!again.stdout.contains("mlk_"))
        #expect(again.terminate() == 0)
    }

    @Test func serveWithAWatchFolderProcessesWhatIsDroppedIntoIt() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let watched = folder.appendingPathComponent("inbox")
        let server = try ServerProcess(["serve", "--port", "0", "--watch", watched.path], in: folder)
        _ = try server.waitUntilServing()
        #expect(server.stdout.contains("Watching \(watched.path)/incoming"))
        let dropped = watched.appendingPathComponent("incoming/report.pdf")
        try FileManager.default.copyItem(at: Fixtures.shared.appendingPathComponent("corpora/docs-dev/d004.pdf"), to: dropped)
        let done = watched.appendingPathComponent("done/report.pdf")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: done.path), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(FileManager.default.fileExists(atPath: watched.appendingPathComponent("output/report.pdf/report.md").path))
        #expect(server.terminate() == 0)
    }

    @Test("A full run — text scans, a document job — makes no connection but on loopback (observed with strace)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")))
    func noOutboundConnections() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("connect.trace").path
        let server = try ServerProcess(["serve", "--port", "0"], in: folder,
                                       wrapper: ["/usr/bin/strace", "-f", "-qq", "-e", "trace=bind,connect,sendto,sendmsg", "-o", trace])
        let base = try server.waitUntilServing()
        let key = try #require(server.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("mlk_") })
        var scan = URLRequest(url: base.appendingPathComponent("api/v1/phi/redact"))
        scan.httpMethod = "POST"
        scan.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        scan.httpBody = Data(#"{"text":"患者王芳，电话13912345678，见 https://portal.example.com/p?id=1"}"#.utf8)
        let (_, scanned) = try await URLSession.shared.data(for: scan)
        #expect((scanned as! HTTPURLResponse).statusCode == 200)
        var upload = URLRequest(url: base.appendingPathComponent("api/v1/documents").appending(queryItems: [.init(name: "redact", value: "true")]))
        upload.httpMethod = "POST"
        upload.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        upload.setValue("d002.pdf", forHTTPHeaderField: "X-Filename")
        upload.httpBody = try Data(contentsOf: Fixtures.shared.appendingPathComponent("corpora/docs-dev/d002.pdf"))
        let (body, _) = try await URLSession.shared.data(for: upload)
        let id = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["id"] as? String)
        var state = ""
        for _ in 0..<600 where !["succeeded", "failed"].contains(state) {
            let job = try await get(base.appendingPathComponent("api/v1/jobs/\(id)"), key: key)
            state = ((try JSONSerialization.jsonObject(with: Data(job.body.utf8)) as? [String: Any])?["state"] as? String) ?? ""
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(state == "succeeded")
        #expect(server.terminate() == 0)
        let traced = try String(contentsOfFile: trace, encoding: .utf8)
        // The trace saw the server: its listening socket's bind is there.
        #expect(traced.split(separator: "\n").contains { $0.contains("bind(") && $0.contains("127.0.0.1") })
        let calls = traced.split(separator: "\n").filter { $0.contains("connect(") || $0.contains("sendto(") || $0.contains("sendmsg(") }
        // Anything that names an internet address must be loopback; Unix sockets (syslog, nscd) are local.
        let remote = calls.filter { ($0.contains("AF_INET") || $0.contains("AF_INET6")) && !$0.contains("127.0.0.1") && !$0.contains("::1") }
        #expect(remote.isEmpty, "outbound attempts: \(remote)")
    }
}
