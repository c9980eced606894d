import Crypto
import Foundation

/// The key ring as a file: a few lines of text, so an operator can see which keys it holds (never their bytes,
/// which are base64 on `key` lines) and a damaged file is reported by line.
///
/// ```
/// medlocal-keyring/1
/// active k1a2b3c4d5e
/// derivation k0f9e8d7c6b
/// key k1a2b3c4d5e 2026-12-06T02:00:00Z <base64 of 32 bytes>
/// key k0f9e8d7c6b - <base64 of 32 bytes>
/// ```
public enum KeyRingText {
    static let header = "medlocal-keyring/1"

    static func looksLikeRing(_ bytes: [UInt8]) -> Bool {
        let prefix = Array(header.utf8)
        return bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix
    }

    public static func render(_ key: ProjectKey) -> String {
        var lines = [header, "active \(key.id)", "derivation \(key.derivationID)"]
        for entry in key.entries {
            let bytes = entry.material.withUnsafeBytes { Data($0) }
            lines.append("key \(entry.id) \(entry.created ?? "-") \(bytes.base64EncodedString())")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// - Throws: ``KeyError`` (`.malformed`) naming `source` and the line; never a key's bytes.
    public static func parse(_ text: String, source: String) throws(KeyError) -> ProjectKey {
        var active: String?
        var derivation: String?
        var entries: [ProjectKey.Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let fields = line.split(separator: " ").map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            func fail(_ why: String) -> KeyError { KeyError(.malformed, "\(source), line \(number): \(why)") }
            switch first {
            case header where number == 1: continue
            case "active" where fields.count == 2: active = fields[1]
            case "derivation" where fields.count == 2: derivation = fields[1]
            case "key" where fields.count == 4:
                guard let bytes = Data(base64Encoded: fields[3]), bytes.count == ProjectKey.byteCount else {
                    throw fail("a key must be \(ProjectKey.byteCount) bytes in base64")
                }
                let material = SymmetricKey(data: bytes)
                guard ProjectKey.keyID(of: material) == fields[1] else { throw fail("key \(fields[1]) does not match its id (the file was altered)") }
                guard !entries.contains(where: { $0.id == fields[1] }) else { throw fail("key \(fields[1]) appears twice") }
                entries.append(.init(id: fields[1], created: fields[2] == "-" ? nil : fields[2], material: material))
            default:
                throw fail(number == 1 ? "not a MedLocal key ring (the first line must be \(header))" : "expected `active ID`, `derivation ID` or `key ID CREATED BASE64`")
            }
        }
        guard let active, entries.contains(where: { $0.id == active }) else {
            throw KeyError(.malformed, "\(source): the active key is not among the ring's keys")
        }
        guard let derivation, entries.contains(where: { $0.id == derivation }) else {
            throw KeyError(.malformed, "\(source): the derivation key is not among the ring's keys")
        }
        return ProjectKey(entries: entries, active: active, derivation: derivation)
    }
}
