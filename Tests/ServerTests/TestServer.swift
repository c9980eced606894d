import DocumentsMuPDF
import DocumentsTesseract
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

/// A real server on a loopback port chosen by the system, over a fresh data folder, with one user per role.
/// Requests go through URLSession: real HTTP, real sockets.
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
    /// `METHOD /path/{param}` of every route the server has.
    let routes: [String]
    private let task: Task<Void, any Error>

    private init(base: URL, folder: URL, keys: [Role: String], stores: ServiceStores, routes: [String], task: Task<Void, any Error>) {
        self.routes = routes
        self.base = base
        self.folder = folder
        self.keys = keys
        self.stores = stores
        self.task = task
    }

    /// - Parameter before: runs on the data folder's stores before the server starts (state left by an earlier run).
    static func start(workers: Int = 1, before: (ServiceStores, _ data: URL, _ keys: [Role: String]) throws -> Void = { _, _, _ in }) async throws -> TestServer {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("var")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let keyPath = data.appendingPathComponent("key").path
        try KeyFiles.create(at: keyPath, overwrite: false)
        let policyPath = folder.appendingPathComponent("policy.yaml").path
        try policy.write(toFile: policyPath, atomically: true, encoding: .utf8)
        let stores = try openStores(data.path)
        var keys: [Role: String] = [:]
        for role in Role.allCases { keys[role] = try stores.users.create(name: "test-\(role.rawValue)", role: role).key }
        try before(stores, data, keys)

        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = data.path
        configuration.keyPath = keyPath
        configuration.policy = policyPath
        configuration.workers = workers
        configuration.uploadLimit = 4 << 20
        let readers = DocumentReaders(pdf: MuPDFBackend(), ocr: TesseractOCREngine(), images: LeptonicaImageDecoder(), imageWriter: LeptonicaImageWriter())
        let server = try MedLocalServer(configuration: configuration, stores: stores, readers: readers,
                                        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            try await DocumentReaders.$current.withValue(readers) {
                try await server.run(handleSignals: false) { port in continuation.yield(port) }
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw URLError(.cannotConnectToHost) }
        return TestServer(base: URL(string: "http://127.0.0.1:\(port)")!, folder: folder, keys: keys, stores: stores,
                          routes: server.operations, task: task)
    }

    static func openStores(_ data: String) throws -> ServiceStores {
        let database = try SQLiteDatabase(path: data + "/medlocal.sqlite")
        return ServiceStores(jobs: SQLiteJobStore(database: database), users: SQLiteUserStore(database: database),
                             audit: SQLiteAuditStore(database: database))
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
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
