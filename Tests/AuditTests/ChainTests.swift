import Audit
import Crypto
import Foundation
import Synchronization
import TestSupport
import Testing

private func event(_ n: Int, time: Date = Date()) -> AuditEvent {
    AuditEvent(time: time, actor: "tester", operation: "redact", inputDigest: String(repeating: "a", count: 63) + String(n % 10),
               outputDigest: "b", policyVersion: "v1.0", action: "anonymize",
               findings: [.init(type: "PERSON", start: n, end: n + 3, score: 0.9, recognizer: "zh-name")])
}

private struct Log {
    let store = InMemoryAuditStore()
    let scratch = ScratchFolder(prefix: "audit")
    var folder: CheckpointFolder { CheckpointFolder(path: scratch.path) }
    let key = Curve25519.Signing.PrivateKey()

    func log(interval: Int64 = 1000, groupSize: Int = 4) -> AuditLog {
        AuditLog(store: store, checkpoints: folder, signingKey: key,
                 configuration: .init(checkpointInterval: interval, groupSize: groupSize))
    }

    func filled(_ count: Int, interval: Int64 = 1000) throws -> Log {
        let log = log(interval: interval)
        for n in 1...count { try log.record(event(n)) }
        try log.close()
        return self
    }

    func verify() throws -> ChainVerifier.Report {
        try ChainVerifier(store: store, checkpoints: folder).verify()
    }
}

@Suite struct AuditChainTests {
    @Test func appendedRecordsFormOneVerifiableChain() throws {
        let log = try Log().filled(10)
        let report = try log.verify()
        #expect(report.isValid)
        #expect(report.records == 10)
        #expect(report.head.count == 10)
        #expect(report.checkpointsVerified == 1)
        #expect(report.unanchored == 0)
        let records = try log.store.records(after: 0, limit: 100)
        #expect(records.map(\.sequence) == Array(1...10))
        #expect(records.first?.previousHash == AuditChain.genesisHash)
        #expect(try records[3].event().findings.first?.start == 4)
    }

    @Test func groupsAreAppendedOnlyWhenFullOrFlushed() throws {
        let log = Log()
        let audit = log.log(groupSize: 3)
        try audit.record(event(1))
        try audit.record(event(2))
        #expect(try log.store.head().count == 0)
        try audit.record(event(3))
        #expect(try log.store.head().count == 3)
        try audit.record(event(4))
        try audit.close()
        #expect(try log.store.head().count == 4)
    }

    @Test func checkpointsAreWrittenEveryIntervalAndOnClose() throws {
        let log = try Log().filled(9, interval: 4)
        let counts = log.folder.checkpoints().checkpoints.map(\.checkpoint.count)
        #expect(counts == [4, 8, 9])
    }

    @Test func everyCheckpointIsAlsoHandedToTheSink() throws {
        let log = Log()
        let seen = Mutex<[Int64]>([])
        let audit = AuditLog(store: log.store, checkpoints: log.folder, signingKey: log.key,
                             configuration: .init(checkpointInterval: 2, groupSize: 2, checkpointSink: { checkpoint in
                                 seen.withLock { $0.append(checkpoint.count) }
                             }))
        for n in 1...5 { try audit.record(event(n)) }
        try audit.close()
        #expect(seen.withLock { $0 } == [2, 4, 5])
        #expect(seen.withLock { $0 } == log.folder.checkpoints().checkpoints.map(\.checkpoint.count))
    }

    @Test(arguments: 1...6)
    func editingAnyRecordsBodyIsFoundAtThatRecord(target: Int) throws {
        let log = try Log().filled(6)
        log.store.tamper { records in records[target - 1].body = records[target - 1].body.replacingOccurrences(of: "zh-name", with: "zh-nam3") }
        let report = try log.verify()
        #expect(report.problem?.sequence == Int64(target))
    }

    @Test func deletingARecordInTheMiddleIsFound() throws {
        let log = try Log().filled(6)
        log.store.tamper { $0.remove(at: 2) }
        let report = try log.verify()
        #expect(report.problem?.sequence == 3)
        #expect(report.problem?.message.contains("missing") == true)
    }

    @Test func deletingTheNewestRecordsIsFoundByTheCheckpoint() throws {
        let log = try Log().filled(6)
        log.store.tamper { $0.removeLast(2) }
        let report = try log.verify()
        #expect(report.problem?.sequence == 5)
        #expect(report.problem?.message.contains("deleted") == true)
    }

    @Test func reorderedRecordsAreFound() throws {
        let log = try Log().filled(6)
        log.store.tamper { records in
            let second = records[1].body
            records[1].body = records[2].body
            records[2].body = second
        }
        #expect(try log.verify().problem?.sequence == 2)
    }

    @Test func aWholeRewrittenChainIsFoundByTheSignedCheckpoint() throws {
        let log = try Log().filled(5)
        // The attacker rebuilds a consistent chain of different events; only the signed checkpoint knows better.
        let forged = try AuditChain.records(for: (1...5).map { event($0 + 100) }, after: .empty)
        log.store.tamper { $0 = forged }
        let report = try log.verify()
        #expect(report.problem?.sequence == 5)
        #expect(report.problem?.message.contains("rewritten") == true)
    }

    @Test func aCheckpointSignedByAnotherKeyIsRejected() throws {
        let log = try Log().filled(3)
        let other = Curve25519.Signing.PrivateKey()
        let forged = try Checkpoint.signed(ChainHead(count: 2, hash: "00"), by: other)
        let encoder = JSONEncoder()
        try encoder.encode(forged).write(to: URL(fileURLWithPath: log.folder.path + "/head-000000000002.json"))
        let report = try log.verify()
        #expect(report.problem?.message.contains("not signed by the audit key") == true)
    }

    @Test func aCheckpointNamesItsKeyIDUnderTheSignature() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signed = try Checkpoint.signed(ChainHead(count: 2, hash: "ab"), by: key, keyID: "k0123456789")
        #expect(signed.keyID == "k0123456789")
        #expect(signed.isSigned(by: key.publicKey))
        var renamed = signed
        renamed.keyID = "k9999999999"
        #expect(!renamed.isSigned(by: key.publicKey))
        var dropped = signed
        dropped.keyID = nil
        #expect(!dropped.isSigned(by: key.publicKey))
        #expect(try Checkpoint.signed(ChainHead(count: 2, hash: "ab"), by: key).isSigned(by: key.publicKey))   // the first message form
    }

    @Test func aPinnedPublicKeyOverridesTheStoredOne() throws {
        let log = try Log().filled(3)
        let stranger = Curve25519.Signing.PrivateKey().publicKey
        let report = try ChainVerifier(store: log.store, checkpoints: log.folder, publicKey: stranger).verify()
        #expect(!report.isValid)
        let pinned = try ChainVerifier(store: log.store, checkpoints: log.folder, publicKey: log.key.publicKey).verify()
        #expect(pinned.isValid)
    }

    @Test func aRetentionPruneKeepsTheChainVerifiable() throws {
        let log = Log()
        let audit = log.log()
        let old = Date(timeIntervalSinceNow: -400 * 86400)
        for n in 1...4 { try audit.record(event(n, time: old)) }
        for n in 5...7 { try audit.record(event(n)) }
        try audit.close()
        let pruned = try audit.prune(before: Date(timeIntervalSinceNow: -190 * 86400))
        #expect(pruned == 4)
        #expect(try log.store.firstSequence() == 5)
        let report = try log.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.records == 3)
    }

    @Test func deletingTheOldestRecordsWithoutAPruneIsFound() throws {
        let log = try Log().filled(5)
        log.store.tamper { $0.removeFirst(2) }
        #expect(try log.verify().problem?.sequence == 1)
    }

    @Test func exportWritesJSONLinesAndCSVSinceATime() throws {
        let log = Log()
        let audit = log.log()
        try audit.record(event(1, time: Date(timeIntervalSince1970: 1_000_000)))
        try audit.record(event(2, time: Date(timeIntervalSince1970: 2_000_000)))
        try audit.record(event(3, time: Date(timeIntervalSince1970: 3_000_000)))
        try audit.close()
        var lines: [String] = []
        let count = try AuditExport(store: log.store).export(since: Date(timeIntervalSince1970: 1_500_000), format: .jsonl) { lines.append($0) }
        #expect(count == 2)
        #expect(lines.first?.contains("\"sequence\":2") == true)
        var csv: [String] = []
        try AuditExport(store: log.store).export(since: nil, format: .csv) { csv.append($0) }
        #expect(csv.count == 4)
        #expect(csv[0].hasPrefix("sequence,time,actor"))
        #expect(csv[1].contains("PERSON=1"))
    }
}
