import Audit
import Foundation
import GRDB
import Service
import Storage
import Testing
import TestSupport

/// Upgrades: a database written by the previous release opens, migrates and keeps every record; a database a newer
/// release has migrated is refused by this one with what to do.
@Suite struct SchemaMigrationTests {
    /// A data folder written by release 0.1.0 (commit 8792d21): a user, a finished document job and three audit
    /// records with their signed checkpoints.
    static let release = Bundle.module.url(forResource: "Fixtures/release-0.1.0", withExtension: nil)!

    func copyOfRelease() throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("data")
        try FileManager.default.copyItem(at: Self.release, to: data)
        return data
    }

    @Test func theLastReleasesDatabaseOpensWithEveryRecordAndAVerifyingAuditChain() throws {
        let data = try copyOfRelease()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let path = data.appendingPathComponent("medlocal.sqlite").path
        let before = try SQLiteDatabase.inspect(path: path)
        #expect(before.isSound && before.unknown.isEmpty)
        #expect(before.pending == ["model-version-status-v1"])   // added after 0.1.0: applied on open below

        let database = try SQLiteDatabase(path: path)
        let after = try SQLiteDatabase.inspect(path: path)
        #expect(after.pending.isEmpty && after.applied.count == after.known.count)

        let users = try SQLiteUserStore(database: database).users()
        #expect(users.map(\.name) == ["alice"] && users.first?.role == .operator)
        let page = try SQLiteJobStore(database: database).jobs(owner: nil, state: nil, limit: 10, offset: 0)
        #expect(page.jobs.count == 1 && page.jobs.first?.state == .succeeded && page.jobs.first?.kind == .document)
        let report = try ChainVerifier(store: SQLiteAuditStore(database: database),
                                       checkpoints: CheckpointFolder(path: data.appendingPathComponent("audit-anchors").path)).verify()
        #expect(report.isValid && report.records == 3 && report.checkpointsVerified >= 1, "\(report)")
    }

    @Test func aDatabaseFromANewerReleaseIsRefusedWithWhatToDo() throws {
        let data = try copyOfRelease()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let path = data.appendingPathComponent("medlocal.sqlite").path
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('from-the-future-v9')")
        }
        #expect(try SQLiteDatabase.inspect(path: path).unknown == ["from-the-future-v9"])
        do {
            _ = try SQLiteDatabase(path: path)
            Issue.record("expected the newer schema to be refused")
        } catch {
            #expect(error.message.contains("newer release") && error.message.contains("from-the-future-v9") && error.message.contains("backup taken before the upgrade"))
        }
    }
}
