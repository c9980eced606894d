public import Crypto
import Foundation

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
}

/// The project key: 32 random bytes in a file with mode 0600.
///
/// - Important: The key never appears in logs or errors; `description` is redacted.
public struct ProjectKey: Sendable, CustomStringConvertible {
    public static let byteCount = 32
    private let material: SymmetricKey

    public init(bytes: [UInt8]) throws(KeyError) {
        guard bytes.count == Self.byteCount else {
            throw KeyError(.wrongSize, "The key must be exactly \(Self.byteCount) bytes; got \(bytes.count). Create one with `medlocal keygen`.")
        }
        material = SymmetricKey(data: bytes)
    }

    /// A new random key.
    public static func generate() -> ProjectKey {
        let key = SymmetricKey(size: .bits256)
        return try! ProjectKey(bytes: key.withUnsafeBytes { Array($0) })  // 32 bytes by construction
    }

    public var description: String { "ProjectKey(<redacted>)" }

    /// The subkey for one purpose (HKDF-SHA256, info `medlocal/v1/<purpose>`).
    public func subkey(for purpose: KeyPurpose) -> SymmetricKey {
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

    /// Reads a key file.
    /// - Throws: `KeyError` naming the path: missing (with the `medlocal keygen` hint), unreadable, wrong size,
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
        return try ProjectKey(bytes: Array(data))
    }

    /// Writes the key to a new file with mode 0600, atomically; never overwrites unless `overwrite`.
    public func write(to path: String, overwrite: Bool = false) throws(KeyError) {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw KeyError(.exists, "\(path) already exists; refusing to overwrite a key (data encrypted or pseudonymised with it would be lost). Pass --force to replace it.")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let temporary = path + ".tmp-\(getpid())"
        let bytes = material.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: temporary, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw KeyError(.unwritable, "Cannot write \(temporary); check that the folder exists and is writable.")
        }
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
        public static let unreadable = Code(rawValue: "unreadable")
        public static let permissions = Code(rawValue: "permissions")
        public static let exists = Code(rawValue: "exists")
        public static let unwritable = Code(rawValue: "unwritable")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
