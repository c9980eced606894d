/// A document's text as one string, with an index from code-point offsets back to the spans (and so the page
/// boxes) they came from: a workflow runs PHI detection over `text` and maps each finding to the boxes to redact.
///
/// Blocks are separated by a blank line, lines by a line break, spans separated by a visible gap by two spaces,
/// table cells by two spaces and rows by a line break. Running headers and footers are included by default —
/// they can carry a patient's name too.
///
/// ```swift
/// let text = DocumentText(document)
/// for finding in analyzer.analyze(text.text) { redact(text.boxes(for: finding.range)) }
/// ```
public struct DocumentText: Sendable {
    /// One span's place in ``text``.
    public struct Entry: Sendable, Equatable {
        /// Code-point offsets in ``DocumentText/text``, end exclusive.
        public var range: Range<Int>
        public var page: Int
        public var box: Box
        /// Running width of the span's code points (CJK and full-width ones count 2, others 1), from 0.
        var advances: [Int]
        /// The span's character edges when known (x0, x1 per code point).
        var edges: [Double]?
    }

    public private(set) var text: String = ""
    public private(set) var entries: [Entry] = []
    private var length = 0

    public init(_ document: Document, includeDiscarded: Bool = true) {
        var firstBlock = true
        for block in document.blocks where includeDiscarded || !block.kind.isDiscarded {
            if !firstBlock { append("\n\n") }
            firstBlock = false
            if let table = block.table {
                for (rowIndex, row) in table.rows.enumerated() {
                    if rowIndex > 0 { append("\n") }
                    for (cellIndex, cell) in row.enumerated() {
                        if cellIndex > 0 { append("  ") }
                        appendSpans(cell.spans, fallback: cell.text, page: block.page)
                    }
                }
                continue
            }
            for (lineIndex, line) in block.lines.enumerated() {
                if lineIndex > 0 { append("\n") }
                for (spanIndex, span) in line.spans.enumerated() {
                    append(line.separator(before: spanIndex))
                    append(span)
                }
            }
        }
    }

    /// The page boxes covering `range`: one per span it touches, narrowed to the covered part of the span in
    /// proportion to its characters' widths (CJK ones one em, others half; spans are single-style runs, so the
    /// proportion is close).
    ///
    /// - Complexity: O(log n + k) for n spans and k spans touched.
    public func boxes(for range: Range<Int>) -> [(page: Int, box: Box)] {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].range.upperBound <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        var result: [(page: Int, box: Box)] = []
        var index = low
        while index < entries.count, entries[index].range.lowerBound < range.upperBound {
            let entry = entries[index]
            let start = max(range.lowerBound, entry.range.lowerBound) - entry.range.lowerBound
            let end = min(range.upperBound, entry.range.upperBound) - entry.range.lowerBound
            let total = Double(max(1, entry.advances.last ?? 0))
            if end > start, let edges = entry.edges {
                result.append((entry.page, Box(x0: edges[2 * start], y0: entry.box.y0, x1: edges[2 * (end - 1) + 1], y1: entry.box.y1)))
            } else if end > start {
                let box = entry.box
                result.append((entry.page, Box(x0: box.x0 + box.width * Double(entry.advances[start]) / total, y0: box.y0,
                                                x1: box.x0 + box.width * Double(entry.advances[end]) / total, y1: box.y1)))
            }
            index += 1
        }
        return result
    }

    private mutating func append(_ separator: String) {
        text += separator
        length += separator.unicodeScalars.count
    }

    private mutating func append(_ span: Span) {
        let count = span.text.unicodeScalars.count
        var advances = [0]
        advances.reserveCapacity(count + 1)
        for scalar in span.text.unicodeScalars { advances.append(advances.last! + (scalar.isWide ? 2 : 1)) }
        let edges = span.characterEdges.flatMap { $0.count == 2 * count ? $0 : nil }
        entries.append(Entry(range: length..<(length + count), page: span.page, box: span.box, advances: advances, edges: edges))
        append(span.text)
    }

    private mutating func appendSpans(_ spans: [Span], fallback: String, page: Int) {
        guard !spans.isEmpty else { return append(fallback) }
        for (index, span) in spans.enumerated() {
            if index > 0 { append(TextJoiner.separator(between: spans[index - 1].text, and: span.text)) }
            append(span)
        }
    }
}
