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

    @Test func jsonLogsAreOneObjectPerLineWithRoutesAndStatusesAndNoValues() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess(["serve", "--port", "0", "--log-format", "json"], in: folder)
        let base = try server.waitUntilServing()
        let adminKey = try #require(server.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("mlk_") })
        var request = URLRequest(url: base.appendingPathComponent("api/v1/phi/scan"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(adminKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"text":"患者姓名：欧阳建华  住院号：ZY20250318077"}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as! HTTPURLResponse).statusCode == 200)
        #expect(server.terminate() == 0)
        let lines = server.stderr.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil && object?["time"] != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""http.route":"/api/v1/phi/scan""#) && $0.contains(#""http.status":"200""#) })
        #expect(!server.stderr.contains("欧阳建华") && !server.stderr.contains("ZY20250318077") && !server.stderr.contains(adminKey))
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

    /// The server and its client inside a network namespace of their own that has nothing but loopback: a full
    /// run (first start, a redaction, a scanned-PDF job with OCR, a clean stop) works there, so nothing it does
    /// needs a network. The strace test above shows it does not even try.
    @Test("The server does a full run in a network namespace with only loopback (unshare -n)",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip"), "unshare -n needs root, as make test runs"))
    func fullRunInALoopbackOnlyNamespace() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            set -u
            ip link set lo up
            echo "links: $(ip -o link show | awk -F': ' '{print $2}' | tr '\\n' ' ')"
            echo "routes: $(ip route show | grep -v '^local' | wc -l)"
            "$MEDLOCAL" serve --port 7860 --data-dir var > serve.out 2> serve.err &
            pid=$!
            for _ in $(seq 300); do grep -q 'MedLocal serving' serve.out && break; sleep 0.1; done
            key=$(grep -o 'mlk_[A-Za-z0-9_-]*' serve.out | head -1)
            api() { curl -sS --max-time 60 -H "Authorization: Bearer $key" "$@"; }
            echo "redact: $(api -o redacted.json -w '%{http_code}' -H 'Content-Type: application/json' \\
                -d '{"text":"患者王芳，电话13912345678，见 https://portal.example.com/p?id=1"}' http://127.0.0.1:7860/api/v1/phi/redact)"
            id=$(api -H 'X-Filename: scan.pdf' --data-binary @"$SCAN" 'http://127.0.0.1:7860/api/v1/documents?redact=true' \\
                | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
            state=none
            for _ in $(seq 900); do
                state=$(api "http://127.0.0.1:7860/api/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
                case $state in succeeded|failed|cancelled) break;; esac
                sleep 0.2
            done
            echo "job: $state"
            echo "markdown: $(api -o result.md -w '%{http_code}' "http://127.0.0.1:7860/api/v1/jobs/$id/result.md")"
            kill -TERM $pid; wait $pid; echo "exit: $?"
            """
        let scan = Fixtures.shared.appendingPathComponent("corpora/docs-dev/d003.scan.pdf")
        let run = ExternalCommand.run("/usr/bin/env", ["MEDLOCAL=\(Fixtures.medlocalBinary.path)", "SCAN=\(scan.path)",
                                                      "/usr/bin/unshare", "-n", "/bin/bash", "-c", "cd '\(folder.path)' && " + script])
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("links: lo "), "\(run.output) \(run.errors)")
        #expect(lines.contains("routes: 0"))
        #expect(lines.contains("redact: 200"))
        #expect(lines.contains("job: succeeded"), "\(run.output) \(run.errors)")
        #expect(lines.contains("markdown: 200"))
        #expect(lines.contains("exit: 0"))
        let redacted = try String(contentsOf: folder.appendingPathComponent("redacted.json"), encoding: .utf8)
        #expect(!redacted.contains("13912345678"))
        #expect(try String(contentsOf: folder.appendingPathComponent("result.md"), encoding: .utf8).count > 200)
    }
}
