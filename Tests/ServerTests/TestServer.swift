import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Server
import Service
import Storage
import TestSupport
import Workflows

/// A real server — the built `medlocal serve`, in its own process — on a loopback port chosen by the system, over
/// a fresh data folder, with one user per role. Requests go through URLSession: real HTTP, real sockets. (In its own
/// process, the server's threads are its own: tests busy with OCR elsewhere in this process cannot starve it.)
final class TestServer: Sendable {
    /// IDs are blocked in text sent to the API and masked in documents; names pseudonymized, phones masked.
    static let policy = """
        version: v2.0
        name: server-test
        entities:
          ID_NUMBER:
            rules:
              - {action: block, when: {source: [api]}}
              - {action: anonymize, operator: mask}
          PERSON: {action: anonymize, operator: pseudonymize, min_score: 0.4}
          PHONE_NUMBER: {action: anonymize, operator: mask}
          DATE: {action: anonymize, operator: date-shift}
        default: {action: tag}
        """

    let base: URL
    let folder: URL
    let keys: [Role: String]
    let stores: ServiceStores
    let process: ServerProcess

    private init(base: URL, folder: URL, keys: [Role: String], stores: ServiceStores, process: ServerProcess) {
        self.base = base
        self.folder = folder
        self.keys = keys
        self.stores = stores
        self.process = process
    }

    var data: URL { folder.appendingPathComponent("var") }

    /// - Parameter before: runs on the data folder's stores before the server starts (state left by an earlier run).
    /// - Parameter arguments: more `serve` options (TLS files, say).
    static func start(workers: Int = 1, arguments: [String] = [], before: (ServiceStores, _ data: URL, _ keys: [Role: String]) throws -> Void = { _, _, _ in }) async throws -> TestServer {
        let (folder, stores, keys) = try prepare()
        let data = folder.appendingPathComponent("var")
        try before(stores, data, keys)
        let process = try ServerProcess(["serve", "--port", "0", "--data-dir", data.path, "--key-file", data.appendingPathComponent("key").path,
                                         "--policy", folder.appendingPathComponent("policy.yaml").path, "--workers", String(workers),
                                         "--upload-limit-mb", "4"] + arguments, in: folder)
        let base = try process.waitUntilServing()
        return TestServer(base: base, folder: folder, keys: keys, stores: stores, process: process)
    }

    /// A data folder with a key, the test policy and one user per role.
    static func prepare() throws -> (folder: URL, stores: ServiceStores, keys: [Role: String]) {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("var")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try KeyFiles.create(at: data.appendingPathComponent("key").path, overwrite: false)
        try policy.write(to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        let stores = try openStores(data.path)
        var keys: [Role: String] = [:]
        for role in Role.allCases { keys[role] = try stores.users.create(name: "test-\(role.rawValue)", role: role).key }
        return (folder, stores, keys)
    }

    /// The operations the server's router has (built in this process; nothing is served).
    static func operations() throws -> [String] {
        let (folder, stores, _) = try prepare()
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = folder.appendingPathComponent("var").path
        configuration.keyPath = folder.appendingPathComponent("var/key").path
        configuration.policy = folder.appendingPathComponent("policy.yaml").path
        let server = try MedLocalServer(configuration: configuration, stores: stores, readers: DocumentReaders(),
                                        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return server.operations
    }

    static func openStores(_ data: String) throws -> ServiceStores {
        let database = try SQLiteDatabase(path: data + "/medlocal.sqlite")
        return ServiceStores(jobs: SQLiteJobStore(database: database), users: SQLiteUserStore(database: database),
                             audit: SQLiteAuditStore(database: database))
    }

    func stop() async {
        _ = process.terminate()
        try? FileManager.default.removeItem(at: folder)
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: String, _ path: String, role: Role? = nil, key: String? = nil, json: Any? = nil,
                 body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        if let key = key ?? role.flatMap({ keys[$0] }) { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// `multipart/form-data` with one file part and text fields, as a browser sends it.
    static func form(file: Data, filename: String, fields: [String: String] = [:]) -> (body: Data, contentType: String) {
        let boundary = "medlocal-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// Polls a job until it is final.
    func waitForJob(_ id: String, role: Role = .operator, timeout: TimeInterval = 120) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let job = try await request("GET", "/api/v1/jobs/\(id)", role: role).json
            if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw URLError(.timedOut)
    }
}
