import Crypto
import _CryptoExtras
public import Foundation

/// A passphrase-wrapped copy of the key ring for escrow (`medlocal key export` / `key import`): whoever holds
/// the copy and the passphrase can recover encrypted values after the disk holding the key is lost.
///
/// The wrapping key is scrypt (N = 2¹⁷, r = 8, p = 1: 128 MiB and about half a second per guess) of the
/// passphrase with a random salt; the ring's text is sealed with AES-256-GCM under it. The file is JSON and names
/// the key ids it holds, never their bytes, so an operator can tell escrow copies apart.
public enum KeyEscrow {
    static let format = "medlocal-key-escrow/1"
    public static let minimumPassphraseLength = 12

    struct File: Codable {
        var format: String
        var kdf: String
        var n: Int
        var r: Int
        var p: Int
        var salt: String
        var keyIDs: [String]
        var active: String
        var derivation: String
        var created: String
        var sealed: String

        enum CodingKeys: String, CodingKey {
            case format, kdf, n, r, p, salt, active, derivation, created, sealed
            case keyIDs = "key_ids"
        }
    }

    /// The escrow file's bytes. `rounds` below the default is for tests only.
    public static func export(_ key: ProjectKey, passphrase: String, rounds: Int = 1 << 17) throws(KeyError) -> Data {
        try check(passphrase)
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let wrapping = try wrappingKey(passphrase, salt: salt, rounds: rounds)
        let sealed: Data
        do {
            guard let combined = try AES.GCM.seal(Data(KeyRingText.render(key).utf8), using: wrapping,
                                                  authenticating: Data(format.utf8)).combined else { throw KeyError(.unwritable, "AES-GCM produced no output") }
            sealed = combined
        } catch {
            throw KeyError(.unwritable, "Cannot seal the escrow copy.")
        }
        let file = File(format: format, kdf: "scrypt", n: rounds, r: 8, p: 1, salt: Data(salt).base64EncodedString(),
                        keyIDs: key.entries.map(\.id), active: key.id, derivation: key.derivationID,
                        created: ProjectKey.now(), sealed: sealed.base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let json = try? encoder.encode(file) else { throw KeyError(.unwritable, "Cannot encode the escrow copy.") }
        return json + Data("\n".utf8)
    }

    /// The key ring in an escrow file.
    /// - Throws: ``KeyError`` naming `source`: not an escrow file, or a wrong passphrase (or altered file).
    public static func importKey(_ data: Data, passphrase: String, source: String) throws(KeyError) -> ProjectKey {
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.format == format, file.kdf == "scrypt",
              let salt = Data(base64Encoded: file.salt), let sealed = Data(base64Encoded: file.sealed) else {
            throw KeyError(.malformed, "\(source): not a MedLocal key escrow file (\(format))")
        }
        guard file.r == 8, file.p == 1, file.n >= 1 << 10, file.n <= 1 << 20, file.n & (file.n - 1) == 0 else {
            throw KeyError(.malformed, "\(source): scrypt parameters out of range (n=\(file.n), r=\(file.r), p=\(file.p))")
        }
        let wrapping = try wrappingKey(passphrase, salt: Array(salt), rounds: file.n)
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let text = try? AES.GCM.open(box, using: wrapping, authenticating: Data(format.utf8)) else {
            throw KeyError(.passphrase, "\(source): the passphrase does not open this escrow copy (wrong passphrase, or the file was altered)")
        }
        return try KeyRingText.parse(String(decoding: text, as: UTF8.self), source: source)
    }

    /// A passphrase file's passphrase: its first line, without the line end.
    public static func passphrase(fromFile path: String) throws(KeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyError(.unreadable, "Passphrase file \(path) cannot be read.")
        }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let passphrase = line.hasSuffix("\r") ? String(line.dropLast()) : line
        do { try check(passphrase) } catch { throw KeyError(.passphrase, "Passphrase file \(path): \(error.message)") }
        return passphrase
    }

    static func check(_ passphrase: String) throws(KeyError) {
        guard passphrase.count >= minimumPassphraseLength else {
            throw KeyError(.passphrase, "the passphrase must have at least \(minimumPassphraseLength) characters")
        }
    }

    static func wrappingKey(_ passphrase: String, salt: [UInt8], rounds: Int) throws(KeyError) -> SymmetricKey {
        do {
            return try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: rounds, blockSize: 8, parallelism: 1)
        } catch {
            throw KeyError(.unwritable, "scrypt failed (not enough memory for n=\(rounds)?)")
        }
    }
}
