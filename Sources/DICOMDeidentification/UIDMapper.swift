public import Anonymization
import Crypto

/// New UIDs for old: `2.25.` and the decimal of the first 128 bits of HMAC-SHA256(key's uid-root subkey, UID) —
/// the same original always maps to the same UID under one key, across runs and files, and the result is a valid
/// UID of at most 44 characters (PS3.5 §B.2).
public struct UIDMapper: Sendable {
    /// The uid-root subkey, derived once.
    private let subkey: SymmetricKey

    public init(key: ProjectKey) {
        subkey = key.subkey(for: .uidRoot)
    }

    /// Registered (standard) UIDs — SOP classes, transfer syntaxes — identify nothing and are kept.
    public static func isRegistered(_ uid: String) -> Bool { uid.hasPrefix("1.2.840.10008.") }

    public func map(_ uid: String) -> String {
        let mac = ProjectKey.mac(uid, subkey: subkey)
        return "2.25." + Self.decimal(Array(mac.prefix(16)))
    }

    /// The decimal digits of a big-endian unsigned integer.
    static func decimal(_ bytes: [UInt8]) -> String {
        var limbs = bytes.map { UInt32($0) }   // base 256, big endian
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for index in limbs.indices {
                let value = remainder << 8 | limbs[index]
                limbs[index] = value / 10
                remainder = value % 10
            }
            digits.append(Character(String(remainder)))
        }
        return digits.isEmpty ? "0" : String(digits.reversed())
    }
}
