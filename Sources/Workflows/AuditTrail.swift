public import Anonymization
public import Audit
public import Core
public import Crypto
public import Foundation
public import Policy

/// Where audit data lives: the data folder (`var/` by default) holds the database and `audit-anchors/`.
public struct AuditLocation: Sendable {
    public var dataDirectory: String
    public var checkpoints: CheckpointFolder { CheckpointFolder(path: (dataDirectory as NSString).appendingPathComponent("audit-anchors")) }

    /// Also send every checkpoint to syslog (`$MEDLOCAL_AUDIT_SYSLOG=1`): a copy of the chain head outside `var/`.
    public var syslog: Bool

    public init(dataDirectory: String, syslog: Bool = ProcessInfo.processInfo.environment["MEDLOCAL_AUDIT_SYSLOG"] == "1") {
        self.dataDirectory = dataDirectory
        self.syslog = syslog
    }

    /// One line per checkpoint, facility authpriv: count, head hash, time and signature — no record content.
    static let writeToSyslog: @Sendable (Checkpoint) -> Void = { checkpoint in
        let line = "medlocal audit checkpoint \(checkpoint.pruneBase == true ? "prune" : "head") count=\(checkpoint.count) hash=\(checkpoint.hash) time=\(checkpoint.time) signature=\(checkpoint.signature)"
        line.withCString { text in
            withVaList([text]) { vsyslog(LOG_AUTHPRIV | LOG_NOTICE, "%s", $0) }
        }
    }

    public func store() throws -> any AuditStore { try Stores.current.auditStore(in: dataDirectory) }

    /// The Ed25519 key that signs checkpoints, derived from the project key.
    public static func signingKey(from key: ProjectKey) throws -> Curve25519.Signing.PrivateKey {
        try key.subkey(for: .auditSigning).withUnsafeBytes { try Curve25519.Signing.PrivateKey(rawRepresentation: Data($0)) }
    }
}

/// The audit side of a command run with a policy: one record per decided item — keyed digests of the item's name,
/// input and output, the policy, every finding's type, range, score, recognizer and action — appended in groups
/// and closed with a signed checkpoint.
public final class AuditTrail: Sendable {
    public let actor: String
    public let operation: String
    public let log: AuditLog
    private let digester: AuditDigester
    private let keyID: String

    public convenience init(location: AuditLocation, key: ProjectKey, actor: String, operation: String) throws {
        self.init(log: try Self.log(location, store: try location.store(), key: key), key: key, actor: actor, operation: operation)
    }

    /// A trail appending to `log` (a server shares one log among its requests).
    public init(log: AuditLog, key: ProjectKey, actor: String, operation: String) {
        self.actor = actor
        self.operation = operation
        self.log = log
        digester = AuditDigester(key: key.subkey(for: .auditDigest))
        keyID = key.derivationID
    }

    /// The log of the chain at `location`, kept in `store`, its checkpoints signed with the project key.
    /// - Parameter groupSize: queued records that force an append (a server flushes itself, per group of requests).
    public static func log(_ location: AuditLocation, store: any AuditStore, key: ProjectKey, groupSize: Int = 512) throws -> AuditLog {
        AuditLog(store: store, checkpoints: location.checkpoints, signingKey: try AuditLocation.signingKey(from: key),
                 configuration: .init(groupSize: groupSize, checkpointSink: location.syslog ? AuditLocation.writeToSyslog : nil,
                                     signingKeyID: key.derivationID))
    }

    /// Records one item. `findings` are all the item's findings; those the decision acted on carry its action.
    public func record(item: String?, input: String, output: String?, decision: Decision?, findings: [Finding]) throws {
        try log.record(event(item: item, input: Data(input.utf8), output: output.map { Data($0.utf8) }, decision: decision, findings: findings))
    }

    public func event(item: String?, input: Data, output: Data?, decision: Decision?, findings: [Finding]) -> AuditEvent {
        event(actor: actor, operation: operation, item: item, input: input, output: output, decision: decision, findings: findings)
    }

    /// The record of one item done by `actor` as `operation` (a server's requests each name their own).
    public func event(actor: String, operation: String, item: String?, input: Data, output: Data?, decision: Decision?,
                      findings: [Finding]) -> AuditEvent {
        var actions: [Finding: PolicyAction] = [:]
        for entry in decision?.entries ?? [] { actions[entry.finding] = entry.action }
        return AuditEvent(
            actor: actor, operation: operation, itemDigest: item.map(digester.digest), inputDigest: digester.digest(input),
            outputDigest: output.map(digester.digest), policyVersion: decision?.policyVersion, policyName: decision?.policyName,
            action: decision?.action.rawValue,
            findings: findings.map { f in
                AuditEvent.Finding(type: f.kind.rawValue, start: f.start, end: f.end, score: (f.score * 1000).rounded() / 1000,
                                   recognizer: f.explanation.recognizer, action: actions[f]?.rawValue)
            }, keyID: keyID)
    }

    /// Appends what is queued and signs the head.
    public func close() throws { try log.close() }

    /// The keyed digest the trail records for `text` (an item's name, say).
    public func digest(_ text: String) -> String { digester.digest(text) }

    /// The operating-system user running this process, for the `actor` field.
    public static var currentUser: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid-\(geteuid())"
    }
}

/// `audit verify`, `audit export` and `audit prune` over a data folder.
public enum AuditMaintenance {
    /// - Parameter publicKeyHex: a pinned public key (hex); else the one stored beside the checkpoints.
    public static func verify(_ location: AuditLocation, publicKeyHex: String?) throws -> ChainVerifier.Report {
        var pinned: Curve25519.Signing.PublicKey?
        if let publicKeyHex {
            guard let key = CheckpointFolder.publicKey(hex: publicKeyHex) else {
                throw InputError(.unreadable, "--public-key: not a 64-digit hex Ed25519 public key")
            }
            pinned = key
        }
        return try ChainVerifier(store: location.store(), checkpoints: location.checkpoints, publicKey: pinned).verify()
    }

    public static func export(_ location: AuditLocation, since: Date?, format: AuditExport.Format, write: (String) throws -> Void) throws -> Int {
        try AuditExport(store: location.store()).export(since: since, format: format, write: write)
    }

    /// Deletes records older than `retentionDays` days (never fewer than 183: six months).
    public static func prune(_ location: AuditLocation, key: ProjectKey, retentionDays: Int) throws -> Int64 {
        guard retentionDays >= 183 else {
            throw InputError(.unreadable, "audit retention must be at least 183 days (six months); got \(retentionDays)")
        }
        let log = AuditLog(store: try location.store(), checkpoints: location.checkpoints, signingKey: try AuditLocation.signingKey(from: key),
                           configuration: .init(checkpointSink: location.syslog ? AuditLocation.writeToSyslog : nil, signingKeyID: key.derivationID))
        return try log.prune(before: Date(timeIntervalSinceNow: -Double(retentionDays) * 86_400))
    }

    /// The public key's hex, for an auditor to keep apart from the machine.
    public static func publicKeyHex(key: ProjectKey) throws -> String {
        hex(try AuditLocation.signingKey(from: key).publicKey.rawRepresentation)
    }
}
