public import Crypto
import Foundation

/// Checks the whole chain: every record's link and hash, the sequence without gaps, and every signed checkpoint —
/// so an edited, deleted, reordered or inserted record, a truncated tail or a rewritten chain is found, and the
/// first bad record is named. Needs no secret: hashes are plain SHA-256 and checkpoints are checked with the
/// public key.
public struct ChainVerifier: Sendable {
    public let store: any AuditStore
    public let checkpoints: CheckpointFolder
    /// The key that must have signed the checkpoints; the folder's stored key when nil.
    public let publicKey: Curve25519.Signing.PublicKey?

    public init(store: any AuditStore, checkpoints: CheckpointFolder, publicKey: Curve25519.Signing.PublicKey? = nil) {
        self.store = store
        self.checkpoints = checkpoints
        self.publicKey = publicKey
    }

    public struct Report: Sendable, Equatable {
        public struct Problem: Sendable, Equatable, CustomStringConvertible {
            /// The first bad record, when the problem is one record's.
            public var sequence: Int64?
            public var message: String
            public var description: String { message }
        }

        /// Records present.
        public var records: Int64 = 0
        public var firstSequence: Int64?
        public var head = ChainHead.empty
        public var checkpointsVerified = 0
        /// Records after the newest checkpoint (their deletion could not be told from their absence yet).
        public var unanchored: Int64 = 0
        /// SHA-256 of the public key used, hex, first 16 digits: compare with the one on record.
        public var publicKeyFingerprint: String?
        public var problem: Problem?

        public var isValid: Bool { problem == nil }
    }

    public func verify() throws -> Report {
        var report = Report()
        let key = publicKey ?? checkpoints.storedPublicKey()
        report.publicKeyFingerprint = key.map { String(hex(SHA256.hash(data: $0.rawRepresentation)).prefix(16)) }
        let (found, unreadable) = checkpoints.checkpoints()
        if let file = unreadable.first {
            report.problem = .init(message: "checkpoint \(file) cannot be read (edited or damaged)")
            return report
        }
        if !found.isEmpty, key == nil {
            report.problem = .init(message: "no public key to check the checkpoints (\(checkpoints.path)/public-key is missing; pass --public-key)")
            return report
        }
        for (file, checkpoint) in found {
            guard let key, checkpoint.isSigned(by: key) else {
                report.problem = .init(message: "checkpoint \(file) is not signed by the audit key (forged or edited)")
                return report
            }
        }
        report.checkpointsVerified = found.count
        let heads = Dictionary(found.filter { $0.checkpoint.pruneBase != true }.map { ($0.checkpoint.count, $0.checkpoint) },
                               uniquingKeysWith: { first, _ in first })
        let pruneBases = Dictionary(found.filter { $0.checkpoint.pruneBase == true }.map { ($0.checkpoint.count, $0.checkpoint) },
                                    uniquingKeysWith: { first, _ in first })

        var previous = ChainHead.empty
        if let first = try store.firstSequence(), first > 1 {
            guard let base = pruneBases[first - 1] else {
                report.problem = .init(sequence: 1, message: "records #1…#\(first - 1) are missing and no signed prune checkpoint covers them (deleted)")
                return report
            }
            previous = ChainHead(count: base.count, hash: base.hash)
        }
        report.firstSequence = try store.firstSequence()
        while true {
            let page = try store.records(after: previous.count, limit: 2000)
            guard !page.isEmpty else { break }
            for record in page {
                if let problem = check(record, after: previous, checkpoint: heads[record.sequence]) {
                    report.problem = problem
                    return report
                }
                previous = ChainHead(count: record.sequence, hash: record.hash)
                report.records += 1
            }
        }
        report.head = previous
        let newest = found.map(\.checkpoint.count).max() ?? 0
        if newest > previous.count {
            report.problem = .init(sequence: previous.count + 1,
                                   message: "records after #\(previous.count) were deleted: a signed checkpoint says the chain had \(newest)")
            return report
        }
        report.unanchored = previous.count - newest
        return report
    }

    private func check(_ record: AuditRecord, after previous: ChainHead, checkpoint: Checkpoint?) -> Report.Problem? {
        let n = record.sequence
        if n != previous.count + 1 {
            return .init(sequence: previous.count + 1, message: "record #\(previous.count + 1) is missing (deleted); the next one is #\(n)")
        }
        if record.previousHash != previous.hash {
            return .init(sequence: n, message: "record #\(n) does not link to record #\(previous.count) (edited, inserted or reordered)")
        }
        if AuditChain.hash(previous: record.previousHash, body: record.body) != record.hash {
            return .init(sequence: n, message: "record #\(n) does not match its hash (edited)")
        }
        guard let body = try? AuditChain.decode(record.body), body.sequence == n,
              let stored = AuditChain.date(from: record.time),
              // Both sides go through the same parse-and-format, so equal texts compare equal.
              AuditChain.timeText(body.event.time) == AuditChain.timeText(stored) else {
            return .init(sequence: n, message: "record #\(n) holds a body that does not belong to it (edited)")
        }
        if let checkpoint, checkpoint.hash != record.hash {
            return .init(sequence: n, message: "record #\(n) differs from its signed checkpoint (the chain was rewritten)")
        }
        return nil
    }
}
