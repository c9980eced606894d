import Foundation
import Testing
import TestSupport

/// MedLocal is offline by construction: no source but the one small HTTP client (webhooks to policy-listed hosts,
/// and `medlocal client` to the one server its user names) opens a connection (the server only
/// listens, through Hummingbird), the commands do their work in a network namespace that has no interfaces at all,
/// and a traced server run makes no connection off loopback (ServeCommandTests).
@Suite("Offline by construction")
struct OfflineTests {
    /// The HTTP client, which connects only to URLs a policy names and the loader accepted (loopback, or a host the
    /// policy lists in webhook_hosts), and to the `--server` a `medlocal client` user gives.
    static let connectionAllowed = "Workflows/WebhookClient.swift"

    @Test("No source file but the webhook client imports a networking module or opens a connection")
    func noNetworkingCode() throws {
        // Client-side networking anywhere; NIO's core and TLS types only in the server, which listens (TLS, mTLS).
        let forbidden = ["FoundationNetworking", "URLSession", "AsyncHTTPClient", "import NIOPosix", "ClientBootstrap", "NIOSSLClientHandler",
                         "makeClientConfiguration", "socket(", "connect(", "getaddrinfo"]
        let serverOnly = ["import NIO"]
        let sources = Fixtures.repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 40)
        // TestSupport is test code (a webhook receiver listens there), never linked into the product.
        for file in files where file != Self.connectionAllowed && !file.hasPrefix("TestSupport/") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for word in forbidden { #expect(!text.contains(word), "\(file) mentions \(word)") }
            if !file.hasPrefix("Server/") { for word in serverOnly { #expect(!text.contains(word), "\(file) mentions \(word)") } }
        }
        let client = try String(contentsOf: sources.appendingPathComponent(Self.connectionAllowed), encoding: .utf8)
        for word in ["FoundationNetworking", "URLSession", "import NIO"] { #expect(!client.contains(word)) }
        #expect(client.contains("components.scheme == \"http\""))
    }

    @Test("keygen, scan, redact, restore and training an image classifier all work with no network at all (unshare -n)", .enabled(if: getuid() == 0, "unshare -n needs root, as make test runs"))
    func worksWithoutNetwork() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let note = "患者姓名：欧阳建华  住院号：ZY20250318077\nSee https://portal.example.com/records?pid=1 and call 139-0731-2468.\n"
        try note.write(to: folder.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        func offline(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = ["-n", Fixtures.medlocalBinary.path] + arguments
            process.currentDirectoryURL = folder
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(try offline(["keygen", "-o", "var/key"]).status == 0)
        let scan = try offline(["scan", "note.txt"])
        #expect(scan.status == 0 && scan.output.contains("URL") && scan.output.contains("PERSON"))
        #expect(try offline(["redact", "note.txt", "--operator", "default=encrypt", "-o", "enc.txt"]).status == 0)
        let restored = try offline(["restore", "enc.txt"])
        #expect(restored.status == 0 && restored.output == note)
        // The runtime and the backbone are installed files: nothing is fetched to train or classify.
        let cells = Fixtures.shared.appendingPathComponent("corpora/images-dev/bccd-cells")
        for cellClass in ["RBC", "WBC"] {
            let target = folder.appendingPathComponent("cells/\(cellClass)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: cells.appendingPathComponent(cellClass).path).sorted().prefix(10) {
                try FileManager.default.copyItem(at: cells.appendingPathComponent("\(cellClass)/\(file)"), to: target.appendingPathComponent(file))
            }
        }
        let trained = try offline(["models", "train", "cells", "--name", "offline", "--data-dir", "var"])
        #expect(trained.status == 0 && trained.output.contains("offline@1"))
        #expect(try offline(["models", "evaluate", "offline", "cells", "--data-dir", "var"]).status == 0)
    }
}
