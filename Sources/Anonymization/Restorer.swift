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
        while let start = rest.range(of: Anonymizer.encryptedPrefix) {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: Anonymizer.encryptedSuffix) else {
                output += rest[start.lowerBound...]
                rest = ""
                break
            }
            let body = rest[start.upperBound..<end.lowerBound]
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: start.lowerBound)
            guard let colon = body.firstIndex(of: ":"), let data = Base64URL.decode(String(body[body.index(after: colon)...])) else {
                throw OperatorError("Malformed encrypted token at code point \(offset).")
            }
            let kind = String(body[..<colon])
            do {
                let box = try AES.GCM.SealedBox(combined: data)
                let plain = try AES.GCM.open(box, using: key.subkey(for: .encrypt), authenticating: Data(kind.utf8))
                output += String(decoding: plain, as: UTF8.self)
                restored += 1
            } catch {
                throw OperatorError("Encrypted token at code point \(offset) does not decrypt with this key (wrong key, or the token was altered).")
            }
            rest = rest[end.upperBound...]
        }
        output += rest
        return (output, restored)
    }
}
