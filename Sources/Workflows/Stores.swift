public import Audit
public import Inference
public import Service

/// The storage adapters the executable wires in (Workflows never imports GRDB): the audit chain's store, and the
/// server's stores over one database, each opened for a data folder.
public struct Stores: Sendable {
    public var openAuditStore: (@Sendable (_ dataDirectory: String) throws -> any AuditStore)?
    public var openServiceStores: (@Sendable (_ dataDirectory: String) throws -> ServiceStores)?
    /// Writes a consistent copy of the data folder's database to a file (`medlocal backup`), while others write.
    public var snapshotDatabase: (@Sendable (_ dataDirectory: String, _ destination: String) throws -> Void)?
    /// The disease knowledge base of the data folder.
    public var openKnowledgeBase: (@Sendable (_ dataDirectory: String) throws -> any KnowledgeBaseStore)?
    /// Model aliases (`production`) of the data folder.
    public var openModelAliases: (@Sendable (_ dataDirectory: String) throws -> any ModelAliasStore)?
    /// The data folder's database checked without changing it (`medlocal doctor`).
    public var inspectDatabase: (@Sendable (_ dataDirectory: String) throws -> DatabaseHealth)?

    public init(openAuditStore: (@Sendable (_ dataDirectory: String) throws -> any AuditStore)? = nil,
                openServiceStores: (@Sendable (_ dataDirectory: String) throws -> ServiceStores)? = nil,
                snapshotDatabase: (@Sendable (_ dataDirectory: String, _ destination: String) throws -> Void)? = nil,
                openKnowledgeBase: (@Sendable (_ dataDirectory: String) throws -> any KnowledgeBaseStore)? = nil,
                openModelAliases: (@Sendable (_ dataDirectory: String) throws -> any ModelAliasStore)? = nil,
                inspectDatabase: (@Sendable (_ dataDirectory: String) throws -> DatabaseHealth)? = nil) {
        self.openAuditStore = openAuditStore
        self.openServiceStores = openServiceStores
        self.snapshotDatabase = snapshotDatabase
        self.openKnowledgeBase = openKnowledgeBase
        self.openModelAliases = openModelAliases
        self.inspectDatabase = inspectDatabase
    }

    public func modelAliases(in dataDirectory: String) throws -> any ModelAliasStore {
        guard let open = openModelAliases else { throw InputError(.unreadable, "this build has no model alias store wired in") }
        return try open(dataDirectory)
    }

    public func knowledgeBase(in dataDirectory: String) throws -> any KnowledgeBaseStore {
        guard let open = openKnowledgeBase else { throw InputError(.unreadable, "this build has no knowledge base store wired in") }
        return try open(dataDirectory)
    }

    /// The stores of the running command, bound by the executable around the command tree.
    @TaskLocal public static var current = Stores()

    func auditStore(in dataDirectory: String) throws -> any AuditStore {
        guard let open = openAuditStore else { throw InputError(.unreadable, "this build has no audit store wired in") }
        return try open(dataDirectory)
    }

    /// The job queue, users and audit chain of the data folder, sharing one connection pool.
    public func serviceStores(in dataDirectory: String) throws -> ServiceStores {
        guard let open = openServiceStores else { throw InputError(.unreadable, "this build has no service stores wired in") }
        return try open(dataDirectory)
    }
}

/// What the server keeps durable.
public struct ServiceStores: Sendable {
    public var jobs: any JobStore
    public var users: any UserStore
    public var audit: any AuditStore

    public init(jobs: any JobStore, users: any UserStore, audit: any AuditStore) {
        self.jobs = jobs
        self.users = users
        self.audit = audit
    }
}
