/// Gathers consecutive lines into paragraphs and list items: a line continues the block above when it follows
/// closely in the same size and either the line above ran to the right edge (it wrapped) or the line is the rest
/// of a `key：value` wrapped inside its cell or of a list item's text.
struct ParagraphBuilder {
    let page: Int
    let style: DocumentStyle
    private var lines: [VisualLine] = []
    private var kind: BlockKind = .paragraph
    /// Right edge of the text area: a line reaching it wrapped.
    var rightEdge: Double = 0

    init(page: Int, style: DocumentStyle) {
        self.page = page
        self.style = style
    }

    mutating func add(_ line: VisualLine) -> [Block] {
        if let previous = lines.last, continues(previous, with: line) {
            lines.append(line)
            return []
        }
        let finished = finish()
        lines = [line]
        kind = .paragraph
        return finished
    }

    mutating func startList(_ line: VisualLine) -> [Block] {
        let finished = finish()
        lines = [line]
        kind = .listItem
        return finished
    }

    mutating func finish() -> [Block] {
        defer { lines.removeAll() }
        guard !lines.isEmpty else { return [] }
        return [Block(kind: kind, page: page, box: lines.map(\.box).union(), lines: lines.map(\.line))]
    }

    private func continues(_ previous: VisualLine, with line: VisualLine) -> Bool {
        let size = max(previous.fontSize, line.fontSize)
        let gap = line.box.y0 - previous.box.y1
        guard gap <= 0.8 * previous.height, abs(previous.fontSize - line.fontSize) <= 0.15 * size else { return false }
        if LineTraits.isFieldGridRow(line) && line.segments.count > 1 { return false }
        if previous.segments.count > 1 && LineTraits.isFieldGridRow(previous) { return false }
        let text = line.plainText
        let hasColon = text.unicodeScalars.contains { LineTraits.colons.contains($0) }
        if kind == .listItem {
            let first = lines[0]
            return LineTraits.listMarkerLength(text) == nil && line.box.x0 > first.box.x0 + 0.5 * size
                && previous.box.x1 >= edge - 3 * size
        }
        let wrapped = previous.box.x1 >= edge - 2 * size
        let alignedLeft = line.box.x0 >= lines[0].box.x0 - size && line.box.x0 <= lines[0].box.x0 + 3 * size
        if wrapped && alignedLeft { return true }
        // 家庭住址：上海市… wrapped inside its grid cell.
        let previousIsField = previous.segments.count == 1 && LineTraits.isKeyValue(previous.plainText)
        return previousIsField && !hasColon && abs(line.box.x0 - previous.box.x0) <= size && gap <= 0.5 * previous.height
    }

    private var edge: Double { rightEdge > 0 ? rightEdge : .infinity }
}
