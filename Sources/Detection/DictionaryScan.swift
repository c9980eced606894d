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
        Self.automaton.forEachMatch(in: t.chars, wordStartsOnly: true) { start, end, payload in
            hits[payload >> 24].append(Hit(range: start..<end, index: payload & 0xFF_FFFF))
        }
        hits[Category.division.rawValue] = Divisions.matches(in: t)
        self.hits = hits
    }
}
