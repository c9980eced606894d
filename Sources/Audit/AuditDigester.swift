public import Crypto
public import Foundation

/// Keyed SHA-256 (HMAC) of inputs and outputs, so the log can show that two items were the same without holding
/// them — and a short input (a name, an ID number) cannot be found by hashing guesses without the key.
public struct AuditDigester: Sendable {
    private let key: SymmetricKey

    /// - Parameter key: the project key's `audit-digest` subkey.
    public init(key: SymmetricKey) {
        self.key = key
    }

    public func digest(_ data: Data) -> String { hex(HMAC<SHA256>.authenticationCode(for: data, using: key)) }

    public func digest(_ text: String) -> String { digest(Data(text.utf8)) }
}
