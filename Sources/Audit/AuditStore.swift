/// Where the chain is kept. The single-machine default is SQLite (`Storage`); a shared PostgreSQL store can take
/// its place for several workers, as long as it keeps the one rule below.
public protocol AuditStore: Sendable {
    /// Appends the records `makeRecords` builds from the current head, atomically with respect to every other
    /// writer — other threads and other processes: no two appends ever see the same head.
    /// - Returns: the new head.
    func append(_ makeRecords: (ChainHead) throws -> [AuditRecord]) throws -> ChainHead

    /// The newest link.
    func head() throws -> ChainHead

    /// Up to `limit` records with sequence numbers above `sequence`, in order.
    func records(after sequence: Int64, limit: Int) throws -> [AuditRecord]

    /// The oldest record's sequence number, nil when empty (records before it were pruned).
    func firstSequence() throws -> Int64?

    /// Deletes records up to and including `sequence` (retention). Only for ``AuditLog/prune(before:)``.
    func deleteRecords(through sequence: Int64) throws
}
