import Crypto
import Foundation

/// Reverses the `encrypt` operator: finds `{{ENC:KIND:…}}` tokens and decrypts them.
public enum Restorer {
    /// The text with every encrypted token replaced by its original value.
    /// - Throws: `OperatorError` naming the token's position (never its content) when a token fails
    ///   authentication, which means another key or a modified token.
    public static func restore(_ text: String, key: ProjectKey) throws(OperatorError) -> (text: String, restored: Int) {
        var output = ""
        var rest = Substring(text)
        var restored = 0
        let keys = key.keys(for: .encrypt)
        while let start = rest.range(of: Anonymizer.encryptedPrefix) {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: Anonymizer.encryptedSuffix) else {
                output += rest[start.lowerBound...]
                rest = ""
                break
            }
            let body = rest[start.upperBound..<end.lowerBound]
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: start.lowerBound)
            let fields = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 2 || fields.count == 3, let data = Base64URL.decode(fields[fields.count - 1]),
                  let box = try? AES.GCM.SealedBox(combined: data) else {
                throw OperatorError("Malformed encrypted token at code point \(offset).")
            }
            let kind = fields[0]
            let candidates: [SymmetricKey]
            if fields.count == 3 {
                guard let named = keys.key(id: fields[1]) else {
                    throw OperatorError("Encrypted token at code point \(offset) was made with key \(fields[1]), which this key file does not hold (an older key ring, or another project's key).")
                }
                candidates = [named]
            } else {
                candidates = keys.all   // written before tokens named their key
            }
            guard let plain = candidates.lazy.compactMap({ try? AES.GCM.open(box, using: $0, authenticating: Data(kind.utf8)) }).first else {
                throw OperatorError("Encrypted token at code point \(offset) does not decrypt with this key (wrong key, or the token was altered).")
            }
            output += String(decoding: plain, as: UTF8.self)
            restored += 1
            rest = rest[end.upperBound...]
        }
        output += rest
        return (output, restored)
    }
}
