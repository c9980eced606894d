public import Core

/// US addresses: `805 Antonio Spurs, Salazarborough, OH 47844`, and city–state pairs
/// such as `Austin, TX` or `Payneside, Ohio`.
public struct USAddressRecognizer: Recognizer {
    public let name = "us-address"
    public let kinds: Set<EntityKind> = [.address]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var i = 0
        var lastEnd = 0
        while i < t.count {
            let c = t.chars[i]
            if CharClass.isDigit(c), !CharClass.isAlnum(t[i - 1]), t[i - 1] != 0x2E, let end = AddressReader.usAddressEnd(t, at: i) {
                candidates.append(Candidate(
                    kind: .address, range: i..<end, score: 0.85,
                    explanation: Explanation(recognizer: name, pattern: "number + street suffix [+ city, state, ZIP]")))
                lastEnd = end
                i = end
                continue
            }
            if c == 0x2C, t[i + 1] == 0x20, i >= lastEnd, let stateEnd = AddressReader.stateEnd(t, at: i + 2),
               let start = cityStart(t, endingAt: i) {
                candidates.append(Candidate(
                    kind: .address, range: start..<stateEnd, score: 0.75,
                    explanation: Explanation(recognizer: name, pattern: "city, state")))
                lastEnd = stateEnd
                i = stateEnd
                continue
            }
            i += 1
        }
    }

    /// Up to three capitalised words ending at `end` (`West Joseph`, `Lake Andrew`).
    private func cityStart(_ t: ScanText, endingAt end: Int) -> Int? {
        var start: Int?
        var p = end
        var words = 0
        while words < 3, let token = NameReader.englishToken(t, endingAt: p) {
            if EnglishNames.nonNameWords.contains(t, token) { if words == 0 { return nil } else { break } }
            start = token.lowerBound
            words += 1
            guard t[token.lowerBound - 1] == 0x20, CharClass.isUpper(t[NameReader.englishToken(t, endingAt: token.lowerBound - 1)?.lowerBound ?? -1]) else { break }
            p = token.lowerBound - 1
        }
        return start
    }
}
