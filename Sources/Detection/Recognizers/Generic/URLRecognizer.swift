public import Core

/// URLs starting with `http://`, `https://` or `www.`.
public struct URLRecognizer: Recognizer {
    public let name = "url"
    public let kinds: Set<EntityKind> = [.url]
    private let prefixes: [[UInt32]] = ["https://", "http://", "www."].map { [UInt32](literal: $0) }

    public init() {}

    @inline(__always) static func isURLCharacter(_ c: UInt32) -> Bool {
        guard c > 0x20, c < 0x7F else { return false }
        return c != 0x22 && c != 0x3C && c != 0x3E && c != 0x60 && c != 0x7B && c != 0x7D && c != 0x7C
    }

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var cursor = 0
        for start in t.wordStarts {
            let i = Int(start)
            let c = t.chars[i]
            guard i >= cursor, c == 0x68 || c == 0x77 || c == 0x48 || c == 0x57, !CharClass.isAlnum(t[i - 1]),
                  let prefix = prefixes.first(where: { t.hasPrefix($0, at: i, caseInsensitive: true) }) else { continue }
            var e = i + prefix.count
            while e < t.count, Self.isURLCharacter(t.chars[e]) { e += 1 }
            while e > i + prefix.count, [0x2E, 0x2C, 0x29, 0x3B, 0x3A, 0x21, 0x3F].contains(t.chars[e - 1]) { e -= 1 }
            if e - i - prefix.count >= 4, (i + prefix.count..<e).contains(where: { t.chars[$0] == 0x2E }) || prefix.count > 4 {
                candidates.append(Candidate(
                    kind: .url, range: i..<e, score: 0.9,
                    explanation: Explanation(recognizer: name, pattern: t.string(i..<(i + prefix.count)).lowercased() + "…")))
            }
            cursor = max(e, i + 1)
        }
    }
}
