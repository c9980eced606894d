/// A run of characters on one baseline with no wide gap inside: a word group, a table cell's text, one
/// `key：value` of a field grid. The unit the layout analysis works with.
struct TextSegment: Sendable {
    var text: String
    var box: Box
    var fontSize: Double
    var bold: Bool
    var page: Int

    var span: Span { Span(text: text, page: page, box: box, fontSize: (fontSize * 100).rounded() / 100, bold: bold) }
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
