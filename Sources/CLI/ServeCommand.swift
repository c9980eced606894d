import ArgumentParser
import Foundation
import Logging
import Policy
import Server
import Service
import Synchronization
import Workflows

/// `medlocal serve`: the REST API and job workers over the data folder.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MedLocal server (REST API, job queue) on the data folder.",
        discussion: """
        Binds 127.0.0.1:7860 unless told otherwise. Everything under /api needs an API key; on first start, with
        no users yet, an admin user is created and its key printed once. /healthz, /readyz, /metrics and
        /openapi.json answer without a key. SIGTERM or Ctrl-C stops taking jobs and signs the audit chain head.
        """
    )

    @Option(help: "Address to bind (0.0.0.0 for every interface; default: host in medlocal.yaml, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (0: any free port; default 7860).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "The data folder: database, uploads and outputs, audit checkpoints (default: $MEDLOCAL_DATA_DIR, data_dir in medlocal.yaml, or var).")
    var dataDirectory: String?

    @OptionGroup var keyOptions: KeyOptions

    @Option(help: "The policy every request is decided under: a preset name or a YAML file (default: the one last activated through the API, else hospital-default).")
    var policy: String?

    @Option(help: "Jobs run at once (default 1).")
    var workers: Int?

    @Option(name: .customLong("upload-limit-mb"), help: "Largest accepted upload, in MiB (default 256).")
    var uploadLimitMB: Int?

    @Option(name: .customLong("page-limit"), help: "Most pages accepted in one PDF (default 2000).")
    var pageLimit: Int?

    @Option(name: .customLong("zip-ratio-limit"), help: "Largest expansion ratio accepted for a ZIP of a DICOM study (expanded size over archive size; default 100).")
    var zipRatioLimit: Int?

    @Option(name: .customLong("retention-days"), help: "Remove finished jobs, with their uploads and outputs, this many days after they ended (default: keep until deleted).")
    var retentionDays: Int?

    @Option(help: "Also run the watch-folder batch mode on this folder (see `medlocal watch`).")
    var watch: String?

    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (server certificate first).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("client-ca"), help: "Accept client certificates issued by this PEM CA (mTLS); each authenticates as the user it was registered to with `users add --certificate`.")
    var clientCA: String?

    @Flag(name: .customLong("encrypt-at-rest"), help: "Keep stored uploads and outputs encrypted with the project key (AES-256-GCM); plaintext only in a RAM folder while a job works.")
    var encryptAtRest = false

    @Option(name: .customLong("work-dir"), help: "With --encrypt-at-rest: the RAM (tmpfs) folder for plaintext (default: one under /dev/shm).")
    var workDirectory: String?

    @Flag(name: .customLong("require-client-certificate"), help: "With --client-ca: refuse connections without a valid client certificate, /healthz included.")
    var requireClientCertificate = false

    @Option(name: .customLong("log-format"), help: "text (default) or json (one object per line, for journald and a SIEM); also $MEDLOCAL_LOG_FORMAT or log_format in medlocal.yaml.")
    var logFormat: String?

    /// Flags over the environment over medlocal.yaml over built-in defaults, checked together.
    func resolved(_ settings: Settings) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host ?? settings.host ?? "127.0.0.1"
        configuration.port = port ?? settings.port ?? 7860
        configuration.dataDirectory = DataLocations.dataDirectory(dataDirectory)
        configuration.keyPath = keyOptions.path
        configuration.policy = policy ?? settings.policy
        configuration.workers = workers ?? settings.workers ?? 1
        let uploadLimitMB = uploadLimitMB ?? settings.uploadLimitMB ?? 256
        configuration.limits.uploadBytes = uploadLimitMB << 20
        configuration.limits.pages = pageLimit ?? settings.pageLimit ?? 2_000
        configuration.limits.archive.maximumRatio = zipRatioLimit ?? settings.zipRatioLimit ?? 100
        configuration.retentionDays = retentionDays ?? settings.retentionDays
        configuration.encryptAtRest = encryptAtRest || settings.encryptAtRest == true
        configuration.workDirectory = workDirectory ?? settings.workDirectory
        let certificate = tlsCertificate ?? settings.tlsCertificate
        let key = tlsKey ?? settings.tlsKey
        let clientCA = clientCA ?? settings.clientCA
        let requireClientCertificate = requireClientCertificate || settings.requireClientCertificate == true

        guard (0...65535).contains(configuration.port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (1...64).contains(configuration.workers) else { throw ValidationError("--workers must be between 1 and 64.") }
        guard uploadLimitMB > 0 else { throw ValidationError("--upload-limit-mb must be positive.") }
        guard configuration.limits.pages > 0 else { throw ValidationError("--page-limit must be positive.") }
        guard configuration.limits.archive.maximumRatio > 1 else { throw ValidationError("--zip-ratio-limit must be more than 1.") }
        if let days = configuration.retentionDays, days < 1 { throw ValidationError("--retention-days must be at least 1.") }
        guard (certificate == nil) == (key == nil) else { throw ValidationError("--tls-cert and --tls-key go together.") }
        if clientCA != nil, certificate == nil { throw ValidationError("--client-ca needs --tls-cert and --tls-key.") }
        if requireClientCertificate, clientCA == nil { throw ValidationError("--require-client-certificate needs --client-ca.") }
        if configuration.workDirectory != nil, !configuration.encryptAtRest { throw ValidationError("--work-dir goes with --encrypt-at-rest.") }
        if let certificate, let key {
            configuration.tls = TLSSettings(certificateChainPath: certificate, privateKeyPath: key, clientCAPath: clientCA,
                                            requireClientCertificate: requireClientCertificate)
        }
        return configuration
    }

    func run() async throws {
        let settings: Settings
        let configuration: ServerConfiguration
        do throws(any Error) {
            settings = try Settings.current.get()
            if settings.auditSyslog == true, DataLocations.environment("MEDLOCAL_AUDIT_SYSLOG") == nil { setenv("MEDLOCAL_AUDIT_SYSLOG", "1", 1) }
            configuration = try resolved(settings)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw Failure.exit(error)
        }
        let dataDirectory = configuration.dataDirectory
        let watch = self.watch ?? settings.watch
        let jsonLogs = (logFormat ?? DataLocations.environment("MEDLOCAL_LOG_FORMAT") ?? settings.logFormat) == "json"
        let logger = Self.logger(json: jsonLogs)
        let server: MedLocalServer
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try ensureKey(logger: logger)
            let stores = try Stores.current.serviceStores(in: dataDirectory)
            server = try MedLocalServer(configuration: configuration, stores: stores, readers: DocumentReaders.current, logger: logger)
            let firstAdmin = try stores.users.users().isEmpty ? try stores.users.create(name: "admin", role: .admin) : nil
            if let firstAdmin {
                Self.say("First start: created user 'admin' (role admin). Its API key, shown only this once:\n  \(firstAdmin.key)\n"
                         + "More users: medlocal users add NAME --role operator|auditor|admin --data-dir \(dataDirectory)")
            }
        } catch {
            throw Failure.exit(error)
        }
        let policyLabel = "\(server.policy.name ?? configuration.policy ?? "policy") \(server.policy.version)"
        let host = configuration.host, workers = configuration.workers, tls = configuration.tls != nil
        let stopWatching = try watch.map(startWatching)
        defer { stopWatching?() }
        try await server.run { port in
            let url = "\(tls ? "https" : "http")://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
            Self.say("MedLocal serving \(url)  (data \(dataDirectory), policy \(policyLabel), \(workers) worker\(workers == 1 ? "" : "s"))")
        }
    }

    /// The watch folder on a thread of its own (parsing blocks for seconds); returns what stops it between files.
    private func startWatching(_ folder: String) throws -> () -> Void {
        let watch = try FolderWatch(root: folder, conversion: DocumentConversion(readers: DocumentReaders.current, formats: [.markdown, .json]))
        let stop = StopFlag()
        let thread = Thread {
            watch.run(shouldStop: { stop.isSet }) { FileHandle.standardError.write(Data(("medlocal watch: " + $0 + "\n").utf8)) }
        }
        thread.start()
        Self.say("Watching \(folder)/incoming (outputs in \(folder)/output)")
        return { stop.set() }
    }

    /// A line on stdout at once (print buffers when stdout is a pipe, and the server runs until stopped).
    private static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// The project key at the default place is created on first use, as `make run` does; one named must exist.
    private func ensureKey(logger: Logger) throws {
        let path = keyOptions.path
        guard !DataLocations.keyFileNamed(keyOptions.keyFile),
              !FileManager.default.fileExists(atPath: path) else { return }
        try KeyFiles.create(at: path, overwrite: false)
        logger.notice("created the project key (mode 0600); back it up", metadata: ["key.path": "\(path)"])
    }

    /// Request and job lines on stderr: ids, routes, statuses and timings — never bodies, names or values.
    static func logger(json: Bool = false) -> Logger {
        var logger = Logger(label: "medlocal.serve") { label -> any LogHandler in json ? JSONLineLogHandler(label: label) : StreamLogHandler.standardError(label: label) }
        logger.logLevel = ProcessInfo.processInfo.environment["MEDLOCAL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }
}

/// Tells a polling thread to stop.
private final class StopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

/// `medlocal users`: API users and their keys.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage API users (keys are shown once, stored only as SHA-256).",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "The data folder (default: $MEDLOCAL_DATA_DIR or var).")
        var dataDirectory: String?

        func stores() throws -> ServiceStores {
            let path = DataLocations.dataDirectory(dataDirectory)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return try Stores.current.serviceStores(in: path)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user; its new API key is the last line of output.",
            discussion: "With --certificate the user authenticates by that client certificate (serve --client-ca) instead of a key; the certificate's SHA-256 fingerprint is printed."
        )
        @Argument(help: "A unique name, shown in the audit trail.") var name: String
        @Option(help: "admin, operator or auditor.", transform: { text in
            guard let role = Role(rawValue: text) else { throw ValidationError("--role must be admin, operator or auditor.") }
            return role
        }) var role: Role
        @Option(help: "A PEM client certificate that stands for this user over mTLS (no API key is made).") var certificate: String?
        @OptionGroup var location: Location

        func validate() throws {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
                throw ValidationError("A user name is 1–64 letters, digits or - _ . @.")
            }
        }

        func run() throws {
            try Failure.guarding {
                if let certificate {
                    let fingerprint = try ClientCertificate.fingerprint(pemFile: certificate)
                    let user = try location.stores().users.add(name: name, role: role, keyDigest: fingerprint)
                    print("Created user \(user.name) (role \(user.role.rawValue)) for the client certificate with SHA-256 fingerprint:")
                    print(fingerprint)
                    return
                }
                let (user, key) = try location.stores().users.create(name: name, role: role)
                print("Created user \(user.name) (role \(user.role.rawValue)). Its API key, shown only this once:")
                print(key)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (never their keys).")
        @OptionGroup var location: Location

        func run() throws {
            try Failure.guarding {
                let formatter = ISO8601DateFormatter()
                for user in try location.stores().users.users() {
                    print([user.name, user.role.rawValue, formatter.string(from: user.created), user.revoked ? "revoked" : "active"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a user's key (within seconds on a running server).")
        @Argument var name: String
        @OptionGroup var location: Location

        func run() throws {
            try Failure.guarding {
                guard try location.stores().users.revoke(name: name) else { throw ServiceError(.notFound, "no user called \(name)") }
                print("Revoked \(name).")
            }
        }
    }
}
