public import Crypto
public import Foundation

/// A signed statement of the chain head — "the log had `count` records, the last with hash `hash`" — kept outside
/// the database, so deleting the newest records or rewriting the whole chain shows.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var count: Int64
    public var hash: String
    public var time: String
    /// Ed25519 over ``signedMessage``, hex.
    public var signature: String
    /// True for the checkpoint written before a retention prune: records up to `count` were deleted on purpose.
    public var pruneBase: Bool?
    /// The id of the project key whose signing subkey made the signature (checkpoints from before key ids have none).
    public var keyID: String?

    /// What is signed; the key id, when there is one, is signed with the rest (version 2 of the message).
    var signedMessage: Data {
        let v1 = "\(count)\n\(hash)\n\(time)\n\(pruneBase == true ? "prune" : "head")"
        guard let keyID else { return Data("medlocal-audit-checkpoint/v1\n\(v1)".utf8) }
        return Data("medlocal-audit-checkpoint/v2\n\(v1)\n\(keyID)".utf8)
    }

    public static func signed(_ head: ChainHead, by key: Curve25519.Signing.PrivateKey, keyID: String? = nil, pruneBase: Bool = false,
                              time: Date = Date()) throws -> Checkpoint {
        var checkpoint = Checkpoint(count: head.count, hash: head.hash, time: AuditChain.timeText(time), signature: "",
                                    pruneBase: pruneBase ? true : nil, keyID: keyID)
        checkpoint.signature = hex(try key.signature(for: checkpoint.signedMessage))
        return checkpoint
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(hexString: signature) else { return false }
        return key.isValidSignature(signature, for: signedMessage)
    }
}

/// The folder of checkpoints (`var/audit-anchors/`): one JSON file per checkpoint, written atomically, and the
/// public key that verifies them (`public-key`, hex).
public struct CheckpointFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    static let publicKeyFile = "public-key"

    public func write(_ checkpoint: Checkpoint, publicKey: Curve25519.Signing.PublicKey) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let keyPath = (path as NSString).appendingPathComponent(Self.publicKeyFile)
        let keyText = hex(publicKey.rawRepresentation) + "\n"
        if (try? String(contentsOfFile: keyPath, encoding: .utf8)) != keyText {
            try writeAtomically(Data(keyText.utf8), to: keyPath)
        }
        let kind = checkpoint.pruneBase == true ? "prune" : "head"
        let name = String(format: "%@-%012lld.json", kind, checkpoint.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeAtomically(try encoder.encode(checkpoint), to: (path as NSString).appendingPathComponent(name))
    }

    /// Every checkpoint file, by count; files that cannot be read are reported, not skipped.
    public func checkpoints() -> (checkpoints: [(file: String, checkpoint: Checkpoint)], unreadable: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var found: [(String, Checkpoint)] = []
        var unreadable: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let file = (path as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file),
                  let checkpoint = try? JSONDecoder().decode(Checkpoint.self, from: data) else {
                unreadable.append(file)
                continue
            }
            found.append((file, checkpoint))
        }
        return (found.sorted { $0.1.count < $1.1.count }, unreadable)
    }

    /// The public key stored beside the checkpoints.
    public func storedPublicKey() -> Curve25519.Signing.PublicKey? {
        let keyPath = (path as NSString).appendingPathComponent(Self.publicKeyFile)
        guard let text = try? String(contentsOfFile: keyPath, encoding: .utf8) else { return nil }
        return Self.publicKey(hex: text)
    }

    public static func publicKey(hex text: String) -> Curve25519.Signing.PublicKey? {
        Data(hexString: text.trimmingCharacters(in: .whitespacesAndNewlines))
            .flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    private func writeAtomically(_ data: Data, to target: String) throws {
        let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw AuditError("cannot write a checkpoint in \(path); check that the folder is writable")
        }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AuditError("cannot move a checkpoint into place in \(path)")
        }
    }
}

/// An audit log that cannot be written or read. Messages name files and sequence numbers, never content.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Data {
    init?(hexString: String) {
        guard hexString.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hexString.count / 2)
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
