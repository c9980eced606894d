import Anonymization
import Audit
import Crypto
public import Foundation
public import Hummingbird
public import Logging
public import Policy
import Inference
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import ServiceLifecycle
public import Service
public import Workflows

/// What `medlocal serve` is configured with; every field has the embedded default `make run` uses.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 7860
    public var dataDirectory = "var"
    public var keyPath = "var/key"
    /// The policy every request is decided under: a preset name or a YAML file. Nil: the one an admin activated
    /// last (`POST /api/v1/policies/{id}/activate`), else `hospital-default`.
    public var policy: String?
    public var workers = 1
    /// Upload size, PDF pages, study archive expansion.
    public var limits = UploadLimits()
    /// Days a finished job (its upload and outputs) is kept; nil keeps them until deleted.
    public var retentionDays: Int?
    /// HTTPS, and client certificates as credentials; nil serves plain HTTP (fine on 127.0.0.1 behind a proxy).
    public var tls: TLSSettings?
    /// Keep stored uploads and outputs encrypted with the project key; plaintext only in ``workDirectory``.
    public var encryptAtRest = false
    /// A folder on a RAM file system for plaintext while encrypted at rest (default: one under /dev/shm).
    public var workDirectory: String?

    public init() {}
}

/// The server: routes, the job workers and the audit committer over the data folder's stores. The CLI's `serve`
/// and the tests build one the same way.
public struct MedLocalServer: Sendable {
    public let configuration: ServerConfiguration
    public let stores: ServiceStores
    public let policy: Policy
    let metrics = ServerMetrics()
    let committer: AuditCommitter
    let policies: ActivePolicy
    let policyStore: PolicyStore
    let files: JobFiles
    let signal = JobSignal()
    let readers: DocumentReaders
    let logger: Logger
    /// Read from ``ServerConfiguration/tls`` at init, so a bad file stops the start with its name.
    let tlsConfiguration: TLSConfiguration?
    /// The project key (model bundles are signed with its model-signing subkey).
    let key: ProjectKey
    /// The image-model adapters and the knowledge base, captured at init: request handlers do not run inside the
    /// executable's task-local scope.
    let imageModels: ImageModels
    let knowledgeBase: (any KnowledgeBaseStore)?
    let modelAliases: (any ModelAliasStore)?

    /// - Throws: when the policy, the key, the data folder or a TLS file cannot be used (named in the error).
    public init(configuration: ServerConfiguration, stores: ServiceStores, readers: DocumentReaders, logger: Logger) throws {
        self.configuration = configuration
        self.stores = stores
        self.readers = readers
        self.logger = logger
        policyStore = PolicyStore(dataDirectory: configuration.dataDirectory)
        let reference = configuration.policy ?? policyStore.activeReference ?? "hospital-default"
        policy = try policyStore.load(reference)?.policy ?? PolicyValidation.validate(reference)
        let key = try ProjectKey.load(from: configuration.keyPath)
        self.key = key
        imageModels = ImageModels.current
        knowledgeBase = try? Stores.current.knowledgeBase(in: configuration.dataDirectory)
        modelAliases = try? Stores.current.modelAliases(in: configuration.dataDirectory)
        let location = AuditLocation(dataDirectory: configuration.dataDirectory)
        // The committer decides when to append; the log's own group trigger is kept out of the way.
        let log = try AuditTrail.log(location, store: stores.audit, key: key, groupSize: .max)
        committer = AuditCommitter(log: log)
        policies = try ActivePolicy(policy: policy, reference: reference, keyPath: configuration.keyPath,
                                    trail: AuditTrail(log: log, key: key, actor: "server", operation: "serve"),
                                    webhooks: ServerWebhooks(dataDirectory: configuration.dataDirectory))
        files = JobFiles(dataDirectory: configuration.dataDirectory,
                         atRest: configuration.encryptAtRest ? try Self.atRest(configuration, key: key) : nil)
        tlsConfiguration = try configuration.tls?.configuration()
    }

    /// The at-rest key and a RAM folder for plaintext of this data folder: one a crash leaves nothing of on disk.
    /// - Throws: ``StorageFolderError`` when the folder is not on a RAM file system (tmpfs) or cannot be made.
    private static func atRest(_ configuration: ServerConfiguration, key: ProjectKey) throws -> JobFiles.AtRest {
        let data = URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL.path
        let folder = configuration.workDirectory ?? "/dev/shm/medlocal-\(getuid())-\(hex(SHA256.hash(data: Data(data.utf8))).prefix(12))"
        let parent = configuration.workDirectory ?? "/dev/shm"
        guard RAMFolder.isRAM(parent) else {
            throw StorageFolderError("\(parent): not a RAM file system (tmpfs); --encrypt-at-rest keeps plaintext in RAM only — name one with --work-dir")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        } catch {
            throw StorageFolderError("\(folder): cannot make the work folder for plaintext")
        }
        return JobFiles.AtRest(keys: key.keys(for: .atRest), workRoot: folder)
    }

    /// Every route, for the server and for checking against the OpenAPI document.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        UIRoutes().add(to: router)
        OperationsRoutes(jobs: stores.jobs, metrics: metrics, dataDirectory: configuration.dataDirectory).add(to: router)
        let api = router.group("api/v1").add(middleware: APIKeyAuthentication(users: stores.users,
                                                                                    acceptsClientCertificates: configuration.tls?.acceptsClientCertificates ?? false))
        PHIRoutes(policies: policies, committer: committer, metrics: metrics).add(to: api)
        DifyModerationRoute(policies: policies, committer: committer, metrics: metrics).add(to: api)
        PolicyRoutes(store: policyStore, active: policies, committer: committer).add(to: api)
        PolicyShadowRoute(store: policyStore, active: policies, committer: committer).add(to: api)
        JobRoutes(jobs: stores.jobs, files: files, limits: configuration.limits, pdf: readers.pdf, wake: signal, reviews: ReviewStore(files: files),
                  reviewRedaction: ReviewRedaction(readers: readers, files: files, jobs: stores.jobs, policies: policies, committer: committer),
                  committer: committer, trail: policies.trail).add(to: api)
        AuditRoutes(store: stores.audit, checkpoints: AuditLocation(dataDirectory: configuration.dataDirectory).checkpoints).add(to: api)
        ModelRoutes(workflow: ImageClassifierWorkflow(dataDirectory: configuration.dataDirectory, models: imageModels, aliases: modelAliases), key: key,
                    knowledgeBase: knowledgeBase.map(KnowledgeBaseWorkflow.init(store:)), committer: committer, trail: policies.trail,
                    files: files, uploadLimit: min(configuration.limits.uploadBytes, Int(ModelBundle.maximumEntryBytes))).add(to: api)
        api.get("me") { _, context in
            let user = try context.requireUser()
            return try Reply.json(["name": user.name, "role": user.role.rawValue])
        }
        return router
    }

    /// `METHOD /path/{parameter}` of every route, as the OpenAPI document should list them.
    public var operations: [String] { router().routes.map { "\($0.method) \($0.path)" } }

    /// Serves until cancelled or sent SIGTERM/SIGINT (with `handleSignals`), then stops taking jobs and signs the
    /// audit chain head.
    /// - Parameter onRunning: told the bound port (useful with port 0).
    public func run(handleSignals: Bool = true, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        files.removeStaleUploads()
        let works: [JobKind: any JobWork] = [
            .document: DocumentJobWork(readers: readers, files: files, policies: policies, committer: committer, metrics: metrics, users: stores.users),
            .dicom: DICOMJobWork(files: files, keyPath: configuration.keyPath, ocr: readers.ocr, archiveLimits: configuration.limits.archive,
                                 committer: committer, trail: policies.trail, metrics: metrics, users: stores.users),
            .training: TrainingJobWork(files: files, workflow: ImageClassifierWorkflow(dataDirectory: configuration.dataDirectory, models: imageModels,
                                                                                      aliases: modelAliases),
                                       committer: committer, trail: policies.trail, users: stores.users),
        ]
        let runner = JobRunner(jobs: stores.jobs, work: JobWorkByKind(works: works), signal: signal,
                               settings: .init(workers: configuration.workers), logger: logger)
        var services: [any Service] = [runner, policies.webhooks]
        if let days = configuration.retentionDays { services.append(JobRetention(jobs: stores.jobs, files: files, days: days, logger: logger)) }
        let server: HTTPServerBuilder = try tlsConfiguration.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1()
        let app = Application(router: router(), server: server, configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                                     serverName: "medlocal"),
                              services: services,
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        defer {
            do { try committer.close() } catch { logger.error("cannot sign the audit chain head", metadata: ["error.type": "\(type(of: error))"]) }
        }
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}

/// `/healthz` (the process answers), `/readyz` (the database and the data folder work), `/metrics` and
/// `/openapi.json`: no key needed, and no PHI in any of them.
struct OperationsRoutes: Sendable {
    let jobs: any JobStore
    let metrics: ServerMetrics
    let dataDirectory: String

    func add(to router: Router<ServerContext>) {
        router.get("healthz") { _, _ in try Reply.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            do {
                _ = try jobs.counts()
            } catch {
                throw Problem(.serviceUnavailable, "not-ready", "the database cannot be read")
            }
            guard FileManager.default.isWritableFile(atPath: dataDirectory) else {
                throw Problem(.serviceUnavailable, "not-ready", "the data folder is not writable")
            }
            return try Reply.json(["status": "ready"])
        }
        router.get("metrics") { _, _ in
            Reply.bytes(metrics.render(jobs: (try? jobs.counts()) ?? [:]).utf8, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("openapi.json") { _, _ in Reply.bytes(OpenAPIDocument.data) }
    }
}

/// The OpenAPI 3.1 description of the API, bundled with the binary.
public enum OpenAPIDocument {
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()
}
