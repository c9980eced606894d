public import Foundation
import Crypto

/// What an API user may do. Roles are a ladder only for jobs and PHI routes (admin ⊇ operator); the audit
/// trail is readable by auditors and admins alone, so an operator who processes documents cannot read who did what.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Manages users and policies, and may do everything else.
    case admin
    /// Submits documents, text and studies and reads their results.
    case `operator`
    /// Reads and exports the audit trail; submits nothing.
    case auditor

    public var canProcess: Bool { self != .auditor }
    public var canAudit: Bool { self != .operator }
    public var canAdminister: Bool { self == .admin }
}

/// An API user: a name for people to read, a role, and the SHA-256 of its key (the key itself is shown once).
public struct APIUser: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var created: Date
    public var revoked: Bool

    public init(id: Int64, name: String, role: Role, created: Date, revoked: Bool = false) {
        self.id = id
        self.name = name
        self.role = role
        self.created = created
        self.revoked = revoked
    }
}

/// API keys: 256 random bits, written as `mlk_` and 43 base64url characters. Only their SHA-256 is stored: a key
/// has full entropy, so an unsalted fast hash is enough and checking a request costs one hash and one lookup.
public enum APIKey {
    public static let prefix = "mlk_"

    /// A new key in its printable form.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of `key`: lowercase hex SHA-256 of its UTF-8 bytes.
    public static func digest(_ key: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        let bytes = SHA256.hash(data: Data(key.utf8)).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `text` has the shape of a key (cheap rejection of garbage before hashing).
    public static func looksValid(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == prefix.utf8.count + 43
    }
}

/// Where API users live (SQLite in `var/medlocal.sqlite` by default).
public protocol UserStore: Sendable {
    /// Adds a user whose key has `keyDigest`. Names are unique.
    /// - Throws: ``ServiceError/conflict`` when the name is taken.
    func add(name: String, role: Role, keyDigest: String) throws -> APIUser
    /// The live (not revoked) user holding the key with `keyDigest`.
    func user(keyDigest: String) throws -> APIUser?
    func users() throws -> [APIUser]
    /// Revokes every key of the user called `name`; false when there is no such user.
    func revoke(name: String) throws -> Bool
}

extension UserStore {
    /// Creates a user with a new key and returns both; the key is not stored and cannot be shown again.
    public func create(name: String, role: Role) throws -> (user: APIUser, key: String) {
        let key = APIKey.generate()
        return (try add(name: name, role: role, keyDigest: APIKey.digest(key)), key)
    }

    /// The user a presented key belongs to, nil for anything else (malformed, unknown or revoked).
    public func authenticate(key: String) throws -> APIUser? {
        guard APIKey.looksValid(key) else { return nil }
        return try user(keyDigest: APIKey.digest(key))
    }
}

/// A service-state operation that failed for a reason a caller can act on.
public struct ServiceError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable { case conflict, notFound, invalid, storage }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
