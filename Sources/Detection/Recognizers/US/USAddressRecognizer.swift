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
            if c == 0x2C, t[i + 1] == 0x20, CharClass.isUpper(t[i + 2]), i >= lastEnd, let start = cityStart(t, endingAt: i),
               let stateEnd = AddressReader.stateEnd(t, at: i + 2, allowCredentialCodes: isPlaceLike(t, start..<i)) {
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

    static let placePrefixes = WordSet(["North", "South", "East", "West", "New", "Port", "Lake", "Mount", "Fort", "Saint",
                                        "St.", "Upper", "Lower", "Grand", "Little", "Old", "Bay", "Cape", "Point"])
    static let placeSuffixes: [[UInt32]] = ["ville", "ton", "town", "burg", "burgh", "boro", "borough", "berg", "field", "ford", "haven",
                                "land", "mouth", "port", "shire", "side", "view", "chester", "furt", "bury", "stad", "fort"].map { [UInt32](literal: $0) }

    /// Whether `city` reads as a place rather than a person (`North Jacobberg, MD` vs `Walter Clark, MD`):
    /// a place prefix, a place-like ending, or one word that is no given name.
    func isPlaceLike(_ t: ScanText, _ city: Range<Int>) -> Bool {
        var firstEnd = city.lowerBound
        while firstEnd < city.upperBound, CharClass.isNameLetter(t[firstEnd]) || t[firstEnd] == 0x2E { firstEnd += 1 }
        if Self.placePrefixes.contains(t, city.lowerBound..<firstEnd) { return true }
        // Two or more words without a place prefix read as a person before a credential (`Hannah Horton, MD`).
        guard firstEnd == city.upperBound else { return false }
        if Self.placeSuffixes.contains(where: { suffix in
            suffix.count < city.count && zip(suffix.reversed(), t.chars[..<city.upperBound].reversed()).allSatisfy { $0 == CharClass.lowercased($1) }
        }) { return true }
        return !EnglishNames.givenNames.contains(t, city) && !EnglishNames.familyNames.contains(t, city)
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
            guard t[token.lowerBound - 1] == 0x20, CharClass.isNameUpper(t[NameReader.englishToken(t, endingAt: token.lowerBound - 1)?.lowerBound ?? -1]) else { break }
            p = token.lowerBound - 1
        }
        return start
    }
}
