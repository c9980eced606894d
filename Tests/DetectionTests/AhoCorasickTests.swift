import Detection
import Testing

@Suite("Dictionary automaton")
struct AhoCorasickTests {
    private func matches(_ patterns: [String], in text: String, wordStartsOnly: Bool = true) -> [String] {
        let automaton = AhoCorasick(patterns.enumerated().map { ([UInt32](literalForTest: $0.element), $0.offset) })
        let chars = text.unicodeScalars.map(\.value)
        var found: [String] = []
        automaton.forEachMatch(in: chars, wordStartsOnly: wordStartsOnly) { start, end, payload in
            found.append("\(patterns[payload])@\(start)..<\(end)")
        }
        return found
    }

    @Test("Every pattern is found, overlapping ones included, with spaces skipped and ASCII lower-cased")
    func findsOverlappingPatterns() {
        #expect(matches(["住院号", "院号", "mrn"], in: "患者住院号：1 MRN 2") == ["住院号@2..<5", "院号@3..<5", "mrn@8..<11"])
        #expect(matches(["门诊号"], in: "门 诊号") == ["门诊号@0..<4"])
    }

    @Test("A match that starts at a word start is found after the automaton fails mid-pattern")
    func failureLinkToWordStart() {
        // "ab cde" is fed as "abcde": `d` fails after "abc", and the failure link to "c" (a word start) goes on to "cde".
        #expect(matches(["abcx", "cde"], in: "ab cde") == ["cde@3..<6"])
    }

    @Test("With word starts only, no match begins inside a Latin word, even through a failure link")
    func noMatchInsideLatinWords() {
        #expect(matches(["age"], in: "page age") == ["age@5..<8"])
        // `paged`: the prefix "pag" fails on `e`→`d`, and the failure link to "age" (inside the word) is passed over.
        #expect(matches(["page x", "aged"], in: "paged aged") == ["aged@6..<10"])
        #expect(matches(["aged"], in: "paged", wordStartsOnly: false) == ["aged@1..<5"])
    }

    @Test("Chinese words match anywhere: word starts only concern Latin letters")
    func chineseMatchesAnywhere() {
        #expect(matches(["号"], in: "ab号cd号") == ["号@2..<3", "号@5..<6"])
        #expect(matches(["id号"], in: "病人id号") == ["id号@2..<5"])
    }
}

extension Array where Element == UInt32 {
    init(literalForTest text: String) { self = text.unicodeScalars.map(\.value) }
}
