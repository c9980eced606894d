public import Crypto
public import Foundation

/// What a derived key is used for. Each purpose gets its own HKDF subkey so that one use never
/// weakens another (ARCHITECTURE.md, "Keys").
public enum KeyPurpose: String, Sendable, CaseIterable {
    case hash
    case encrypt
    case pseudonym
    case dateShift = "date-shift"
    case uidRoot = "uid-root"
    case auditDigest = "audit-digest"
    /// The seed of the Ed25519 key that signs audit checkpoints.
    case auditSigning = "audit-signing"
    /// Uploads and outputs the server keeps encrypted at rest (`serve --encrypt-at-rest`).
    case atRest = "at-rest"
    /// Backups of a data folder (`medlocal backup`).
    case backup
    /// The seed of the Ed25519 key that signs model bundles.
    case modelSigning = "model-signing"

    /// Whether `medlocal key rotate` moves this purpose to the new key. Encryption purposes do: their ciphertexts
    /// name the key that made them, so older ones stay readable. Derivations (keyed hashes, pseudonyms, date shifts,
    /// UIDs, audit digests and the signing keys clients and auditors pin) stay on the derivation key, so the same
    /// patient keeps the same pseudonym and shift across a rotation (Decision 0006).
    public var rotatesWithActiveKey: Bool {
        switch self {
        case .encrypt, .atRest, .backup: true
        case .hash, .pseudonym, .dateShift, .uidRoot, .auditDigest, .auditSigning, .modelSigning: false
        }
    }
}

/// The project key: 32 random bytes in a file with mode 0600 — or, once rotated, a key ring in the same file:
/// every key the project has used, which one encrypts new data (the *active* key), and which one derives
/// pseudonyms, shifts and digests (the *derivation* key, kept across rotations).
///
/// Every key has an id (``keyID(of:)``): a keyed digest of the key itself, so it names the key without revealing it.
///
/// - Important: The key never appears in logs or errors; `description` is redacted.
public struct ProjectKey: Sendable, CustomStringConvertible {
    public static let byteCount = 32

    /// One key of the ring.
    public struct Entry: Sendable {
        public let id: String
        /// When it was made (ISO 8601), when known: a plain 32-byte key file does not say.
        public let created: String?
        let material: SymmetricKey
    }

    /// Every key, the active one first.
    public let entries: [Entry]
    /// The key that encrypts new data.
    public let id: String
    /// The key that derives pseudonyms, date shifts, UIDs, digests and signing keys.
    public let derivationID: String

    public init(bytes: [UInt8]) throws(KeyError) {
        guard bytes.count == Self.byteCount else {
            throw KeyError(.wrongSize, "The key must be exactly \(Self.byteCount) bytes; got \(bytes.count). Create one with `medlocal keygen`.")
        }
        let material = SymmetricKey(data: bytes)
        let id = Self.keyID(of: material)
        self.init(entries: [Entry(id: id, created: nil, material: material)], active: id, derivation: id)
    }

    init(entries: [Entry], active: String, derivation: String) {
        self.entries = entries.filter { $0.id == active } + entries.filter { $0.id != active }
        id = active
        derivationID = derivation
    }

    /// A new random key.
    public static func generate() -> ProjectKey {
        let material = SymmetricKey(size: .bits256)
        let id = keyID(of: material)
        return ProjectKey(entries: [Entry(id: id, created: Self.now(), material: material)], active: id, derivation: id)
    }

    /// The ring with a new active key for encryption; the derivation key and every older key stay.
    public func rotated() -> ProjectKey {
        let material = SymmetricKey(size: .bits256)
        let newID = Self.keyID(of: material)
        return ProjectKey(entries: [Entry(id: newID, created: Self.now(), material: material)] + entries, active: newID, derivation: derivationID)
    }

    /// Whether this is more than one plain key (written as a key ring).
    public var isRing: Bool { entries.count > 1 || id != derivationID }

    public var description: String { "ProjectKey(<redacted>)" }

    /// `k` and 10 hex digits of HMAC-SHA256(key, "medlocal/v1/key-id"): stable, and useless for recovering the key.
    public static func keyID(of material: SymmetricKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("medlocal/v1/key-id".utf8), using: material)
        return "k" + code.prefix(5).map { String(format: "%02x", $0) }.joined()
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    func material(_ keyID: String) -> SymmetricKey? { entries.first { $0.id == keyID }?.material }

    /// The subkey for one purpose (HKDF-SHA256, info `medlocal/v1/<purpose>`) of the active key or the derivation
    /// key, as the purpose requires.
    public func subkey(for purpose: KeyPurpose) -> SymmetricKey {
        Self.derive(material(purpose.rotatesWithActiveKey ? id : derivationID)!, purpose)
    }

    /// The subkeys of one purpose under every key of the ring, for opening what older keys sealed.
    public func keys(for purpose: KeyPurpose) -> PurposeKeys {
        let current = purpose.rotatesWithActiveKey ? id : derivationID
        return PurposeKeys(current: current, keys: entries.map { ($0.id, Self.derive($0.material, purpose)) })
    }

    static func derive(_ material: SymmetricKey, _ purpose: KeyPurpose) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("medlocal/v1/\(purpose.rawValue)".utf8), outputByteCount: 32)
    }

    /// HMAC-SHA256 of `message` under the subkey for `purpose`.
    public func mac(_ message: String, purpose: KeyPurpose) -> [UInt8] {
        Self.mac(message, subkey: subkey(for: purpose))
    }

    /// HMAC-SHA256 of `message` under a subkey derived once (for callers that MAC many messages).
    public static func mac(_ message: String, subkey: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: subkey))
    }

    // MARK: Files

    /// Reads a key file: 32 raw bytes, or a key ring (``KeyRingText``).
    /// - Throws: `KeyError` naming the path: missing (with the `medlocal keygen` hint), unreadable, malformed,
    ///   or readable by other users.
    public static func load(from path: String) throws(KeyError) -> ProjectKey {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KeyError(.missing, "No key file at \(path). Create one with `medlocal keygen -o \(path)` (or pass --key-file).")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw KeyError(.permissions, "Key file \(path) is readable by other users (mode \(String(mode, radix: 8))). Run `chmod 600 \(path)`.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyError(.unreadable, "Key file \(path) cannot be read (check its owner and permissions).")
        }
        return try decode(Array(data), source: "Key file \(path)")
    }

    /// A key from a file's bytes: exactly 32 bytes is a plain key, anything else must be a key ring.
    public static func decode(_ bytes: [UInt8], source: String) throws(KeyError) -> ProjectKey {
        if bytes.count == byteCount { return try ProjectKey(bytes: bytes) }
        guard KeyRingText.looksLikeRing(bytes) else {
            throw KeyError(.wrongSize, "\(source): a key must be exactly \(byteCount) bytes or a MedLocal key ring; got \(bytes.count) bytes. Create one with `medlocal keygen`.")
        }
        return try KeyRingText.parse(String(decoding: bytes, as: UTF8.self), source: source)
    }

    /// The file's bytes: the 32 raw bytes of a plain key (as `keygen` has always written), else the key ring text.
    public func encoded() -> Data {
        isRing ? Data(KeyRingText.render(self).utf8) : entries[0].material.withUnsafeBytes { Data($0) }
    }

    /// Writes the key to a file with mode 0600, atomically; never overwrites unless `overwrite`, and then keeps the
    /// replaced file's owner.
    public func write(to path: String, overwrite: Bool = false) throws(KeyError) {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw KeyError(.exists, "\(path) already exists; refusing to overwrite a key (data encrypted or pseudonymised with it would be lost). Pass --force to replace it.")
        }
        // Not NSString.deletingLastPathComponent: Foundation on Linux traps on a one-letter relative path ("k").
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: encoded(), attributes: [.posixPermissions: 0o600]) else {
            throw KeyError(.unwritable, "Cannot write \(temporary); check that the folder exists and is writable.")
        }
        // A key replaced by root (`key rotate` on a server) stays the service user's: same owner as the old file.
        var old = stat()
        if overwrite, stat(path, &old) == 0, geteuid() == 0 { _ = chown(temporary, old.st_uid, old.st_gid) }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 { _ = fsync(descriptor); close(descriptor) }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw KeyError(.unwritable, "Cannot move the new key into place at \(path).")
        }
    }
}

/// A key that cannot be loaded or written.
public struct KeyError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        let rawValue: String
        public static let missing = Code(rawValue: "missing")
        public static let wrongSize = Code(rawValue: "wrong-size")
        public static let malformed = Code(rawValue: "malformed")
        public static let unreadable = Code(rawValue: "unreadable")
        public static let permissions = Code(rawValue: "permissions")
        public static let exists = Code(rawValue: "exists")
        public static let unwritable = Code(rawValue: "unwritable")
        public static let passphrase = Code(rawValue: "passphrase")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
