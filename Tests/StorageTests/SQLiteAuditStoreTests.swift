import Audit
import Crypto
import Foundation
import GRDB
import Storage
import Testing
import TestSupport

private func event(_ n: Int) -> AuditEvent {
    AuditEvent(actor: "tester", operation: "scan", inputDigest: String(format: "%064x", n), policyVersion: "v1.0", action: "tag",
               findings: [.init(type: "PHONE_NUMBER", start: n, end: n + 11, score: 0.95, recognizer: "cn-mobile")])
}

private struct Folder {
    let scratch = ScratchFolder(prefix: "storage")
    var path: String { scratch.path }
    var database: String { path + "/medlocal.sqlite" }
    var checkpoints: CheckpointFolder { CheckpointFolder(path: path + "/audit-anchors") }
    let key = Curve25519.Signing.PrivateKey()

    func log(groupSize: Int = 64) throws -> AuditLog {
        AuditLog(store: SQLiteAuditStore(database: try SQLiteDatabase(path: database)), checkpoints: checkpoints, signingKey: key,
                 configuration: .init(checkpointInterval: 50, groupSize: groupSize))
    }

    func verify() throws -> ChainVerifier.Report {
        try ChainVerifier(store: SQLiteAuditStore(database: try SQLiteDatabase(path: database)), checkpoints: checkpoints).verify()
    }

    /// Raw access, as someone with the file would have: the append-only triggers dropped first.
    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_events_append_only; DROP TRIGGER IF EXISTS audit_events_no_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }
}

@Suite struct SQLiteAuditStoreTests {
    @Test func theDatabaseIsCreatedOnFirstUseAndTheChainVerifies() throws {
        let folder = Folder()
        let log = try folder.log()
        for n in 1...120 { try log.record(event(n)) }
        try log.close()
        #expect(FileManager.default.fileExists(atPath: folder.database))
        let report = try folder.verify()
        #expect(report.isValid)
        #expect(report.records == 120)
        #expect(report.checkpointsVerified == 2)   // after the group that passed 50 (at 64), and on close at 120
    }

    @Test func theTableRefusesUpdatesAndDeletes() throws {
        let folder = Folder()
        let log = try folder.log()
        try log.record(event(1))
        try log.close()
        let queue = try DatabaseQueue(path: folder.database)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit_events SET body = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit_events") } }
    }

    /// Property: flipping any single byte of any column of any record makes verification fail at that record.
    @Test func editingAnySingleByteOfAnyRecordIsFoundAtThatRecord() throws {
        let folder = Folder()
        let log = try folder.log()
        for n in 1...12 { try log.record(event(n)) }
        try log.close()
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<40 {
            let sequence = Int64.random(in: 1...12, using: &generator)
            let column = ["body", "prev_hash", "hash", "time"][trial % 4]
            let queue = try DatabaseQueue(path: folder.database)
            let original = try queue.read { try String.fetchOne($0, sql: "SELECT \(column) FROM audit_events WHERE seq = ?", arguments: [sequence])! }
            var bytes = Array(original.utf8)
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[position] = bytes[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            try folder.tamper("UPDATE audit_events SET \(column) = ? WHERE seq = ?", [String(decoding: bytes, as: UTF8.self), sequence])
            let report = try folder.verify()
            #expect(report.problem?.sequence == sequence, "flipped byte \(position) of \(column) in #\(sequence): \(String(describing: report.problem))")
            try folder.tamper("UPDATE audit_events SET \(column) = ? WHERE seq = ?", [original, sequence])
        }
        #expect(try folder.verify().isValid)
    }

    @Test func concurrentWritersThroughSeparateConnectionsKeepOneChain() async throws {
        let folder = Folder()
        _ = try SQLiteDatabase(path: folder.database)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let log = try folder.log(groupSize: 7)   // its own connection pool, as another process would have
                    for n in 0..<100 { try log.record(event(writer * 1000 + n)) }
                    try log.close()
                }
            }
            try await group.waitForAll()
        }
        let report = try folder.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.records == 400)
    }

    @Test func aRecordInsertedInTheMiddleIsFound() throws {
        let folder = Folder()
        let log = try folder.log()
        for n in 1...5 { try log.record(event(n)) }
        try log.close()
        // Shift #4 and #5 up and slip a forged #4 in.
        try folder.tamper("UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 4")
        try folder.tamper("UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000")
        let forged = try AuditChain.record(for: event(99), after: ChainHead(count: 3, hash: try folder.verifyHead(at: 3)))
        try folder.tamper("INSERT INTO audit_events (seq, time, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                          [forged.sequence, forged.time, forged.body, forged.previousHash, forged.hash])
        let report = try folder.verify()
        #expect(report.problem?.sequence == 5)
    }
}

extension Folder {
    func verifyHead(at sequence: Int64) throws -> String {
        try DatabaseQueue(path: database).read { try String.fetchOne($0, sql: "SELECT hash FROM audit_events WHERE seq = ?", arguments: [sequence])! }
    }
}
