public import Service
import Foundation
import GRDB

/// The single-machine database (`var/medlocal.sqlite`): WAL mode so readers never wait for the writer, every
/// commit fsynced (`synchronous = FULL`), a generous busy timeout so several processes share it, and the schema
/// brought up to date on open.
public final class SQLiteDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating the folder and file on first use) and migrates.
    /// - Throws: ``StorageError`` naming the file.
    public init(path: String) throws(StorageError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        pool = try Self.open(path)
    }

    /// Opens and migrates, waiting out other processes doing the same: switching a new file to WAL and creating
    /// the schema take locks that SQLite's busy timeout does not always cover, so "database is locked" while
    /// opening (or a migration another process has just applied) is retried for a few seconds before it is an error.
    private static func open(_ path: String) throws(StorageError) -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        var lastError: (any Error)?
        for attempt in 0..<40 {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try refuseNewerSchema(pool, path: path)
                try migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
                                                     || Self.lostMigrationRace(error) {
                lastError = error
                usleep(UInt32(20_000 + attempt * 10_000))
            } catch let error as StorageError {
                throw error
            } catch {
                throw StorageError("\(path): cannot open the database (\(reason(error)))")
            }
        }
        throw StorageError("\(path): cannot open the database (\(reason(lastError!)); another process holds it)")
    }

    /// Two processes opening a new database can both find a migration pending and both run it: each migration is one
    /// transaction, so the slower one fails on "already exists" with nothing half done, and on its next attempt finds
    /// the migration applied.
    private static func lostMigrationRace(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_ERROR && (error.message ?? "").contains("already exists")
    }

    /// A database that a newer release has migrated is not opened by an older one (a rollback must restore the backup
    /// taken before the upgrade): the older code would not know the newer tables' rules.
    private static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        let known = Set(migrator.migrations)
        let unknown = try pool.read { db in try migrator.appliedIdentifiers(db) }.subtracting(known)
        guard unknown.isEmpty else {
            throw StorageError("\(path): written by a newer release of MedLocal (schema \(unknown.sorted().joined(separator: ", "))). Install that release again, or restore the backup taken before the upgrade into a new data folder.")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("audit-events-v1") { db in
            try db.execute(sql: """
                CREATE TABLE audit_events (
                    seq INTEGER PRIMARY KEY,
                    time TEXT NOT NULL,
                    body TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX audit_events_time ON audit_events(time);
                -- Deleting is allowed only through a retention prune, which announces itself here first.
                CREATE TABLE audit_prune_allowance (through INTEGER NOT NULL);
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                WHEN NOT EXISTS (SELECT 1 FROM audit_prune_allowance WHERE through >= OLD.seq)
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only; records leave only by audit prune'); END;
                """)
        }
        migrator.registerMigration("api-users-v1") { db in
            try db.execute(sql: """
                CREATE TABLE api_users (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    key_digest TEXT NOT NULL UNIQUE,
                    created TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0
                );
                """)
        }
        migrator.registerMigration("jobs-v1") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    owner INTEGER NOT NULL,
                    input_name TEXT NOT NULL,
                    options TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    progress_done INTEGER NOT NULL DEFAULT 0,
                    progress_total INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    outputs TEXT NOT NULL DEFAULT '[]',
                    cancel_requested INTEGER NOT NULL DEFAULT 0,
                    worker TEXT,
                    lease_until REAL,
                    created REAL NOT NULL,
                    updated REAL NOT NULL
                );
                CREATE INDEX jobs_claim ON jobs(state, created);
                CREATE INDEX jobs_owner ON jobs(owner, created);
                """)
        }
        migrator.registerMigration("knowledge-base-v1") { db in
            try db.execute(sql: """
                CREATE TABLE kb_diseases (
                    code TEXT PRIMARY KEY,
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    description TEXT NOT NULL,
                    treatment TEXT NOT NULL,
                    urgency TEXT NOT NULL,
                    source TEXT NOT NULL
                );
                CREATE TABLE kb_label_mappings (
                    model TEXT NOT NULL,
                    label TEXT NOT NULL,
                    code TEXT NOT NULL REFERENCES kb_diseases(code),
                    PRIMARY KEY (model, label)
                );
                """)
        }
        migrator.registerMigration("model-aliases-v1") { db in
            try db.execute(sql: """
                CREATE TABLE model_aliases (
                    model TEXT NOT NULL,
                    alias TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    updated TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (model, alias)
                );
                """)
        }
        migrator.registerMigration("model-version-status-v1") { db in
            try db.execute(sql: """
                CREATE TABLE model_version_status (
                    model TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('deprecated')),
                    reason TEXT NOT NULL,
                    updated TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (model, version)
                );
                """)
        }
        return migrator
    }

    /// SQLite's own words, which name no data of ours (bodies hold no values anyway).
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode.rawValue)" }
        return "\(error)"
    }
}

/// A database that cannot be opened, read or written; the message names the file.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension SQLiteDatabase {
    /// A consistent copy of the whole database at `destination` (SQLite's online backup: writers carry on; the
    /// copy is the database as of one moment).
    public func snapshot(to destination: String) throws {
        try guarded("back up") {
            let copy = try DatabaseQueue(path: destination)
            try pool.backup(to: copy)
            try copy.close()
        }
    }
}

extension SQLiteDatabase {
    /// The database file's health without changing it: SQLite's integrity check and which schema migrations are
    /// applied (read-only; a database written by a newer release shows migrations this build does not know).
    public static func inspect(path: String) throws(StorageError) -> DatabaseHealth {
        guard FileManager.default.fileExists(atPath: path) else { throw StorageError("\(path): no database yet (it is created on first use)") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                let applied = try migrator.appliedIdentifiers(db)
                return DatabaseHealth(integrity: integrity, applied: applied.sorted(),
                                      known: migrator.migrations)
            }
        } catch {
            throw StorageError("\(path): cannot be read (\(reason(error)))")
        }
    }
}
