/// A run of characters on one baseline with no wide gap inside: a word group, a table cell's text, one
/// `key：value` of a field grid. The unit the layout analysis works with.
struct TextSegment: Sendable {
    var text: String
    var box: Box
    var fontSize: Double
    var bold: Bool
    var page: Int
    /// The x extent of each scalar of `text` (empty when unknown): where a segment can be cut.
    var characterEdges: [(Double, Double)] = []

    /// Cuts the segment at the best gap between characters inside `region` (an overflowing cell that ran into the
    /// next column's text): the widest gap, a number running on to the end counting as a wide one. Nil when
    /// there is no gap there.
    func split(within region: ClosedRange<Double>) -> (TextSegment, TextSegment)? {
        let scalars = Array(text.unicodeScalars)
        guard characterEdges.count == scalars.count, scalars.count >= 2 else { return nil }
        var best: (index: Int, gap: Double)?
        for index in 1..<scalars.count {
            let gap = characterEdges[index].0 - characterEdges[index - 1].1
            let position = (characterEdges[index].0 + characterEdges[index - 1].1) / 2
            // A number run on to the end ("(APTT)38.76") starts a value even without a visible gap.
            let valueStart = scalars[index].properties.numericType != nil && scalars[index - 1].properties.numericType == nil
                && scalars[index - 1] != "." && scalars[index...].allSatisfy { $0.properties.numericType != nil || $0 == "." }
            guard region.contains(position), gap > 0.1 * fontSize || scalars[index - 1] == " " || valueStart else { continue }
            let score = gap + (valueStart ? 0.5 * fontSize : 0)
            if best == nil || score > best!.gap { best = (index, score) }
        }
        guard let cut = best?.index else { return nil }
        guard let left = piece(0..<cut, of: scalars), let right = piece(cut..<scalars.count, of: scalars) else { return nil }
        return (left, right)
    }

    /// The scalars in `range` (of `scalars`, this segment's text) as a segment of their own, spaces at either end
    /// trimmed; nil when only spaces are left.
    private func piece(_ range: Range<Int>, of scalars: [Unicode.Scalar]) -> TextSegment? {
        let trimmed = range.filter { scalars[$0] != " " }
        guard let first = trimmed.first, let last = trimmed.last else { return nil }
        var segment = self
        segment.text = String(String.UnicodeScalarView(scalars[first...last]))
        segment.characterEdges = Array(characterEdges[first...last])
        segment.box.x0 = characterEdges[first].0
        segment.box.x1 = characterEdges[last].1
        return segment
    }

    /// The segment cut at each `|` OCR read from a vertical rule — a bar within `tolerance` of one of `bounds` —
    /// without the bar; the segment itself when it has none.
    func cut(atRuleGlyphsNear bounds: [Double], tolerance: Double) -> [TextSegment] {
        let scalars = Array(text.unicodeScalars)
        guard characterEdges.count == scalars.count else { return [self] }
        let bars = scalars.indices.filter { index in
            let center = (characterEdges[index].0 + characterEdges[index].1) / 2
            return "|｜丨".unicodeScalars.contains(scalars[index]) && bounds.contains { abs($0 - center) <= tolerance }
        }
        guard !bars.isEmpty else { return [self] }
        let starts = [0] + bars.map { $0 + 1 }, ends = bars + [scalars.count]
        return zip(starts, ends).compactMap { piece($0..<$1, of: scalars) }
    }

    var span: Span {
        let edges = characterEdges.count == text.unicodeScalars.count ? characterEdges.flatMap { [$0.0, $0.1] } : nil
        return Span(text: text, page: page, box: box, fontSize: (fontSize * 100).rounded() / 100, bold: bold, characterEdges: edges)
    }
}

/// Segments whose vertical extents overlap: one printed line across the page, left to right.
struct VisualLine: Sendable {
    var segments: [TextSegment]
    var box: Box
    /// The bottom of the line's last printed row (lines that absorbed wrapped cell text grow below their box's
    /// first row).
    var bottom: Double

    init(segments: [TextSegment]) {
        self.segments = segments.sorted { $0.box.x0 < $1.box.x0 }
        self.box = segments.map(\.box).union()
        self.bottom = box.y1
    }

    var page: Int { segments.first?.page ?? 0 }
    /// The height of one printed row.
    var height: Double { segments.map(\.box.height).max() ?? 0 }
    var fontSize: Double { segments.map(\.fontSize).max() ?? 0 }
    var isBold: Bool { segments.allSatisfy(\.bold) }
    var line: Line { Line(box: box, spans: segments.map(\.span)) }
    var text: String { line.text }
    /// The text with every gap collapsed (how the line reads as one string).
    var plainText: String { segments.map(\.text).joined() }
}

extension Array where Element == Double {
    /// The middle value (the upper one of the two middles for an even count); 0 when empty.
    var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return sorted[sorted.count / 2]
    }
}
