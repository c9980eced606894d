public import Audit

/// The storage adapters the executable wires in (Workflows never imports GRDB): today the audit chain's store,
/// opened for a data folder.
public struct Stores: Sendable {
    public var openAuditStore: (@Sendable (_ dataDirectory: String) throws -> any AuditStore)?

    public init(openAuditStore: (@Sendable (_ dataDirectory: String) throws -> any AuditStore)? = nil) {
        self.openAuditStore = openAuditStore
    }

    /// The stores of the running command, bound by the executable around the command tree.
    @TaskLocal public static var current = Stores()

    func auditStore(in dataDirectory: String) throws -> any AuditStore {
        guard let open = openAuditStore else { throw InputError(.unreadable, "this build has no audit store wired in") }
        return try open(dataDirectory)
    }
}
