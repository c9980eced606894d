/// Every dictionary word in a text, found in one Aho–Corasick pass: field labels, context words,
/// name triggers and titles, hospital suffixes and administrative divisions.
///
/// The pass runs over the text with spaces removed and ASCII lower-cased, so OCR's stray spaces
/// (`门 诊号`, `主 任`) do not hide a word; every hit is reported in original code-point offsets.
public struct DictionaryScan: Sendable {
    public enum Category: Int, Sendable, CaseIterable {
        case label, context, trigger, title, hospitalSuffix, division
    }

    public struct Hit: Sendable, Hashable {
        /// Code-point range in the original text (it may contain the spaces that were skipped).
        public var range: Range<Int>
        /// Index into the category's word list.
        public var index: Int
    }

    private var hits: [[Hit]]

    public subscript(_ category: Category) -> [Hit] { hits[category.rawValue] }

    /// The words of each category, in index order (lower-cased, spaces removed).
    static let words: [[[UInt32]]] = [
        FieldLabels.standard.map { $0.key },
        ContextScorer.standardWords.map { compact($0.text) },
        ChineseNameRecognizer.triggerWords.map { [UInt32](literal: $0) },
        ChineseNames.titles,
        ChineseHospitalRecognizer.suffixWords.map { [UInt32](literal: $0) },
        [],  // divisions are matched from their final character (see `Divisions.matches`)
    ]

    static func compact(_ word: String) -> [UInt32] {
        [UInt32](literal: word).compactMap { CharClass.isSpace($0) ? nil : CharClass.lowercased($0) }
    }

    static let automaton: AhoCorasick<Int> = {
        var patterns: [([UInt32], Int)] = []
        for (category, list) in words.enumerated() {
            for (index, word) in list.enumerated() { patterns.append((word, category << 24 | index)) }
        }
        return AhoCorasick(patterns)
    }()

    /// - Complexity: O(n + hits).
    public init(_ t: ScanText) {
        var hits = [[Hit]](repeating: [], count: Category.allCases.count)
        Self.forEachMatch(of: Self.automaton, in: t) { range, payload in
            hits[payload >> 24].append(Hit(range: range, index: payload & 0xFF_FFFF))
        }
        hits[Category.division.rawValue] = Divisions.matches(in: t)
        self.hits = hits
    }

    /// Runs `automaton` over `t` with spaces skipped and ASCII lower-cased, calling `body` with each
    /// match's range in original code points (in order of the match's end).
    static func forEachMatch(of automaton: AhoCorasick<Int>, in t: ScanText, _ body: (Range<Int>, Int) -> Void) {
        // Original positions of the last code points fed to the automaton (a ring of 64 is longer than any word).
        var ring = [Int](repeating: 0, count: 64)
        var fed = 0, state = 0
        for i in 0..<t.count {
            let c = t.chars[i]
            if CharClass.isSpace(c) { continue }
            ring[fed & 63] = i
            fed += 1
            state = automaton.step(state, CharClass.lowercased(c))
            guard automaton.hasMatch(at: state) else { continue }
            for m in automaton.matches(at: state) where m.length <= 64 {
                body(ring[(fed - m.length) & 63]..<(i + 1), m.payload)
            }
        }
    }
}
