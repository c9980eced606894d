public import Core

/// English (and pinyin) person names in running text, by context and structure:
/// honorifics (`Dr. Jones`), credentials after a name (`Walter Clark, MD`), relatives
/// (`with his mother, Michael Santos`), `seeing X`, a romanised name in brackets after a
/// Chinese one (`王华（Fang Huang）`), and given-name + family-name pairs from the census lists.
public struct EnglishNameRecognizer: Recognizer {
    public let name = "en-person"
    public let kinds: Set<EntityKind> = [.person]

    /// Honorifics, with OCR's split forms (`D r.`) too.
    static let honorifics: [[UInt32]] = ["Dr. ", "Dr ", "D r. ", "Dr . ", "Mr. ", "Mrs. ", "Ms. ", "Miss ", "Prof. ", "Dr.", "Mr.", "Mrs.", "Ms."]
        .map { [UInt32](literal: $0) }
    static let credentials: [[UInt32]] = [", MD", ", M.D.", ", DO", ", RN", ", NP", ", PA-C", ", PhD", ", MBBS", " MD,", " MD\n"].map { [UInt32](literal: $0) }
    static let relations: [String] = [
        "mother", "father", "wife", "husband", "son", "daughter", "sister", "brother", "partner", "spouse", "friend",
        "caregiver", "guardian", "fiance", "fiancee", "aunt", "uncle", "niece", "nephew", "grandson", "granddaughter",
        "grandmother", "grandfather", "neighbor", "roommate",
    ]
    /// Lower-case words after which a name follows (`…his mother, X`, `seeing X`).
    static let leadWords = WordSet(relations + ["seeing", "saw", "evaluated", "examined", "referring", "patient"])

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var cursor = 0
        for start in t.wordStarts {
            let i = Int(start)
            guard i >= cursor else { continue }
            let c = t.chars[i]
            if CharClass.isNameUpper(c) {
                if let r = NameReader.romanisedInBrackets(t, at: i) {
                    add(r, 0.8, "romanised name in brackets", nil, &candidates)
                    cursor = r.upperBound
                } else if c == 0x44 || c == 0x4D || c == 0x50, let h = Self.honorifics.first(where: { t.hasPrefix($0, at: i) }),
                          let r = NameReader.english(t, at: i + h.count, maxTokens: 3, allowSingle: true) ?? oneLetterSurname(t, at: i + h.count) {
                    add(r, 0.85, "honorific", t.string(i..<(i + h.count - (h.last == 0x20 ? 1 : 0))), &candidates)
                    cursor = r.upperBound
                } else if let r = NameReader.english(t, at: i, maxTokens: 4, allowSingle: false) {
                    if let credential = Self.credentials.first(where: { t.hasPrefix($0, at: r.upperBound) }) {
                        add(r, 0.85, "credential", t.string(r.upperBound..<(r.upperBound + credential.count)).trimmingSpaces(), &candidates)
                    } else if let score = dictionaryScore(t, r) {
                        add(r, score, "census names", nil, &candidates)
                    }
                    cursor = r.upperBound
                }
            } else if CharClass.isLower(c) {
                var j = i + 1
                while CharClass.isLower(t[j]) { j += 1 }
                guard Self.leadWords.contains(t, i..<j) else { continue }
                let nameStart = t[j] == 0x2C && t[j + 1] == 0x20 ? j + 2 : (t[j] == 0x20 ? j + 1 : -1)
                if nameStart > 0, let r = NameReader.english(t, at: nameStart, maxTokens: 4, allowSingle: false) {
                    add(r, 0.8, "relation or verb", t.string(i..<j), &candidates)
                    cursor = r.upperBound
                }
            }
        }
    }

    private func add(_ r: Range<Int>, _ score: Double, _ pattern: String, _ context: String?, _ candidates: inout [Candidate]) {
        candidates.append(Candidate(
            kind: .person, range: r, score: score,
            explanation: Explanation(recognizer: name, pattern: pattern, contextWords: context.map { [$0] } ?? [])))
    }

    /// `Dr. O,`: a one-letter surname right after an honorific, closed by punctuation (not an initial's dot).
    private func oneLetterSurname(_ t: ScanText, at p: Int) -> Range<Int>? {
        guard CharClass.isUpper(t[p]), !CharClass.isNameLetter(t[p + 1]), t[p + 1] != 0x2E,
              t[p + 1] == 0x2C || t[p + 1] == 0x20 || t[p + 1] == 0x29 || t[p + 1] == 0x3B || CharClass.isNewline(t[p + 1]) else { return nil }
        return p..<(p + 1)
    }

    /// A census given name followed by a capitalised family name.
    private func dictionaryScore(_ t: ScanText, _ r: Range<Int>) -> Double? {
        var first = r.lowerBound
        while CharClass.isNameLetter(t[first]) { first += 1 }
        guard EnglishNames.givenNames.contains(t, r.lowerBound..<first) else { return nil }
        var last = r.upperBound
        while last > r.lowerBound, CharClass.isNameLetter(t[last - 1]) || CharClass.isNameJoiner(t[last - 1]) { last -= 1 }
        return EnglishNames.familyNames.contains(t, last..<r.upperBound) ? 0.65 : 0.55
    }
}
