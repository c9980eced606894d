public import Audit
import Synchronization

/// An ``AuditStore`` in memory, whose records a test may tamper with as an attacker with file access would.
public final class InMemoryAuditStore: AuditStore {
    private let storage = Mutex<[AuditRecord]>([])

    public init() {}

    public func append(_ makeRecords: (ChainHead) throws -> [AuditRecord]) throws -> ChainHead {
        try storage.withLock { records in
            let head = records.last.map { ChainHead(count: $0.sequence, hash: $0.hash) } ?? .empty
            let new = try makeRecords(head)
            records += new
            return new.last.map { ChainHead(count: $0.sequence, hash: $0.hash) } ?? head
        }
    }

    public func head() throws -> ChainHead {
        storage.withLock { $0.last.map { ChainHead(count: $0.sequence, hash: $0.hash) } ?? .empty }
    }

    public func records(after sequence: Int64, limit: Int) throws -> [AuditRecord] {
        storage.withLock { Array($0.filter { $0.sequence > sequence }.sorted { $0.sequence < $1.sequence }.prefix(limit)) }
    }

    public func firstSequence() throws -> Int64? { storage.withLock { $0.map(\.sequence).min() } }

    public func deleteRecords(through sequence: Int64) throws {
        storage.withLock { $0.removeAll { $0.sequence <= sequence } }
    }

    /// Rewrites the stored records directly, bypassing the chain.
    public func tamper(_ change: (inout [AuditRecord]) -> Void) {
        storage.withLock { change(&$0) }
    }
}
