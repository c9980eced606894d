/// Document-wide typography: the body font size and the larger sizes used for headings, ranked into levels.
struct DocumentStyle: Sendable {
    var bodyFontSize: Double
    /// The size of running text (single-segment lines of some length), which tables set in a smaller size do not
    /// skew: what running headers and footers are compared with.
    var proseFontSize: Double
    /// The size of lines that end a sentence (。 .): running text proper; the body size when there are none.
    var sentenceFontSize: Double
    /// Distinct heading sizes larger than the body, largest first (level 1, 2, …).
    var headingSizes: [Double]

    /// The level given to headings set in the body size (bold or enumerated).
    var sectionLevel: Int { min(6, max(headingSizes.count, 1) + (headingSizes.count >= 3 ? 0 : 1)) }

    /// Known section headings, recognised even when set like the body.
    var sections: SectionMapping = .standard

    init(lines: [VisualLine], sections: SectionMapping = .standard) {
        self.sections = sections
        var characters: [Double: Int] = [:]
        for line in lines {
            for segment in line.segments { characters[Self.rounded(segment.fontSize), default: 0] += segment.text.count }
        }
        bodyFontSize = characters.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 10
        let body = bodyFontSize
        var prose: [Double: Int] = [:]
        for line in lines where line.segments.count == 1 && line.plainText.count >= 8 {
            prose[Self.rounded(line.fontSize), default: 0] += line.plainText.count
        }
        proseFontSize = prose.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? body
        var sentences: [Double: Int] = [:]
        for line in lines where line.plainText.count >= 8 && LineTraits.endsSentence(line.plainText) {
            sentences[Self.rounded(line.fontSize), default: 0] += line.plainText.count
        }
        sentenceFontSize = max(body, sentences.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? body)
        var sizes: [Double] = []
        for line in lines where line.fontSize >= body * Self.headingRatio && Self.isShortStandalone(line) {
            let size = Self.rounded(line.fontSize)
            if !sizes.contains(where: { abs($0 - size) < 0.6 }) { sizes.append(size) }
        }
        headingSizes = sizes.sorted(by: >)
    }

    static let headingRatio = 1.12

    private static func rounded(_ size: Double) -> Double { (size * 2).rounded() / 2 }

    /// A single short piece of text that is not a sentence and not `key：value`.
    static func isShortStandalone(_ line: VisualLine) -> Bool {
        let text = line.plainText
        guard text.count <= 60, !LineTraits.endsSentence(text), !text.contains("=") else { return false }
        if LineTraits.isKeyValue(text) { return false }
        return line.segments.count <= 2
    }

    /// The heading level of a line, or nil when it is not a heading.
    func headingLevel(of line: VisualLine) -> Int? {
        guard Self.isShortStandalone(line) else { return nil }
        let text = line.plainText
        // Larger than running text; or larger than the body (which small table text may set) and set apart:
        // bold or numbered like a heading.
        let larger = line.fontSize >= bodyFontSize * Self.headingRatio
        if larger, line.fontSize >= sentenceFontSize * Self.headingRatio || line.isBold || LineTraits.hasHeadingEnumerator(text) {
            let size = Self.rounded(line.fontSize)
            let rank = headingSizes.firstIndex { abs($0 - size) < 0.6 } ?? headingSizes.count
            return min(6, rank + 1)
        }
        guard line.segments.count == 1, LineTraits.listMarkerLength(text) == nil || LineTraits.hasHeadingEnumerator(text) else { return nil }
        if line.isBold || (LineTraits.hasHeadingEnumerator(text) && text.count <= 20) { return sectionLevel }
        // A line that is exactly a known section heading (主诉, Past Medical History) at least the body size.
        if line.fontSize >= bodyFontSize * 0.95, sections.exactField(for: text) != nil { return sectionLevel }
        return nil
    }
}
