public import Audit
import GRDB

/// The audit chain in the `audit_events` table. An append reads the head and inserts after it inside one
/// `BEGIN IMMEDIATE` transaction, so concurrent writers — threads or processes — queue on SQLite's write lock and
/// never fork the chain; `seq` being the primary key makes a fork impossible even if one tried.
public struct SQLiteAuditStore: AuditStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func append(_ makeRecords: (ChainHead) throws -> [AuditRecord]) throws -> ChainHead {
        try guarded("append to") {
            try database.pool.writeWithoutTransaction { db in
                var head = ChainHead.empty
                try db.inTransaction(.immediate) {
                    head = try Self.head(db)
                    for record in try makeRecords(head) {
                        try db.execute(sql: "INSERT INTO audit_events (seq, time, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [record.sequence, record.time, record.body, record.previousHash, record.hash])
                        head = ChainHead(count: record.sequence, hash: record.hash)
                    }
                    return .commit
                }
                return head
            }
        }
    }

    public func head() throws -> ChainHead {
        try guarded("read") { try database.pool.read(Self.head) }
    }

    public func records(after sequence: Int64, limit: Int) throws -> [AuditRecord] {
        try guarded("read") {
            try database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT seq, time, body, prev_hash, hash FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?",
                                 arguments: [sequence, limit]).map { row in
                    AuditRecord(sequence: row["seq"], time: row["time"], body: row["body"], previousHash: row["prev_hash"], hash: row["hash"])
                }
            }
        }
    }

    public func firstSequence() throws -> Int64? {
        try guarded("read") { try database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM audit_events") } }
    }

    public func deleteRecords(through sequence: Int64) throws {
        try guarded("prune") {
            try database.pool.write { db in
                try db.execute(sql: "INSERT INTO audit_prune_allowance (through) VALUES (?)", arguments: [sequence])
                try db.execute(sql: "DELETE FROM audit_events WHERE seq <= ?", arguments: [sequence])
                try db.execute(sql: "DELETE FROM audit_prune_allowance")
            }
        }
    }

    private static func head(_ db: Database) throws -> ChainHead {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") else { return .empty }
        return ChainHead(count: row["seq"], hash: row["hash"])
    }

    private func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StorageError("\(database.path): cannot \(what) the audit log (\(SQLiteDatabase.reason(error)))")
        }
    }
}
