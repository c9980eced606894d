public import Core

/// E-mail addresses: `local@domain.tld`, found from each `@`.
public struct EmailRecognizer: Recognizer {
    public let name = "email"
    public let kinds: Set<EntityKind> = [.emailAddress]

    public init() {}

    @inline(__always) static func isLocal(_ c: UInt32) -> Bool {
        CharClass.isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }

    @inline(__always) static func isDomain(_ c: UInt32) -> Bool { CharClass.isAlnum(c) || c == 0x2E || c == 0x2D }

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        for at in 0..<t.count where t.chars[at] == 0x40 {
            var s = at
            while s > 0, Self.isLocal(t.chars[s - 1]) { s -= 1 }
            while s < at, !CharClass.isAlnum(t.chars[s]) { s += 1 }
            var e = at + 1
            while e < t.count, Self.isDomain(t.chars[e]) { e += 1 }
            while e > at + 1, !CharClass.isAlnum(t.chars[e - 1]) { e -= 1 }
            guard s < at, e > at + 1 else { continue }
            // The domain needs a dot and a final label of two or more letters.
            guard let dot = (at + 1..<e).last(where: { t.chars[$0] == 0x2E }), e - dot - 1 >= 2,
                  (dot + 1..<e).allSatisfy({ CharClass.isLetter(t.chars[$0]) }) else { continue }
            candidates.append(Candidate(
                kind: .emailAddress, range: s..<e, score: 0.95,
                explanation: Explanation(recognizer: name, pattern: "local@domain.tld")))
        }
    }
}
