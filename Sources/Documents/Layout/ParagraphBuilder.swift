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
        if let previous = lines.last, let cells = wrappedGridCells(previous, line) {
            for (segment, cell) in zip(line.segments, cells) {
                lines[lines.count - 1].segments[cell].text = TextJoiner.join(lines[lines.count - 1].segments[cell].text, segment.text)
                lines[lines.count - 1].segments[cell].box = lines[lines.count - 1].segments[cell].box.union(segment.box)
            }
            lines[lines.count - 1].box = previous.box.union(line.box)
            lines[lines.count - 1].bottom = line.box.y1
            return []
        }
        if let previous = lines.last, continues(previous, with: line) {
            lines.append(line)
            return []
        }
        let finished = finish()
        lines = [line]
        kind = .paragraph
        return finished
    }

    /// Starts a block of another kind (a list item, a formula) that wrapped lines may continue.
    mutating func start(_ line: VisualLine, as kind: BlockKind) -> [Block] {
        let finished = finish()
        lines = [line]
        self.kind = kind
        return finished
    }

    mutating func finish() -> [Block] {
        defer { lines.removeAll() }
        guard !lines.isEmpty else { return [] }
        return [Block(kind: kind, page: page, box: lines.map(\.box).union(), lines: lines.map(\.line))]
    }

    /// The cells of a field-grid row (姓名：…  Phone: …  Address: …) whose texts wrapped onto `line`: a line
    /// right below without colons, each of its segments under one of the row's cells.
    private func wrappedGridCells(_ previous: VisualLine, _ line: VisualLine) -> [Int]? {
        guard previous.segments.count > 1, LineTraits.isFieldGridRow(previous),
              !line.plainText.unicodeScalars.contains(where: { LineTraits.colons.contains($0) }),
              line.box.y0 - previous.bottom <= 0.6 * line.height else { return nil }
        let size = max(previous.fontSize, line.fontSize)
        var cells: [Int] = []
        for segment in line.segments {
            guard let cell = previous.segments.lastIndex(where: { $0.box.x0 <= segment.box.x0 + size }),
                  cell + 1 == previous.segments.count || segment.box.x1 <= previous.segments[cell + 1].box.x0 + size else { return nil }
            cells.append(cell)
        }
        return cells
    }

    private func continues(_ previous: VisualLine, with line: VisualLine) -> Bool {
        let size = max(previous.fontSize, line.fontSize)
        let gap = line.box.y0 - previous.box.y1
        guard gap <= 0.8 * previous.height, abs(previous.fontSize - line.fontSize) <= 0.15 * size else { return false }
        if LineTraits.isFieldGridRow(line) && line.segments.count > 1 { return false }
        if previous.segments.count > 1 && LineTraits.isFieldGridRow(previous) { return false }
        let text = line.plainText
        let hasColon = text.unicodeScalars.contains { LineTraits.colons.contains($0) }
        if kind == .formula { return Self.wrapped(previous, before: line, edge: edge) && line.box.x0 >= lines[0].box.x0 - size }
        if kind == .listItem {
            let first = lines[0]
            return LineTraits.listMarkerLength(text) == nil && line.box.x0 > first.box.x0 + 0.5 * size
                && Self.wrapped(previous, before: line, edge: edge)
        }
        let wrapped = Self.wrapped(previous, before: line, edge: edge)
        // The second line may start left of the first (a first-line indent, or the rest of a run-in heading);
        // later lines align with the second.
        let alignedLeft = lines.count == 1
            ? line.box.x0 <= lines[0].box.x0 + 3 * size
            : abs(line.box.x0 - lines[1].box.x0) <= size
        if wrapped && alignedLeft { return true }
        // 家庭住址：上海市… wrapped inside its grid cell.
        let previousIsField = previous.segments.count == 1 && LineTraits.isKeyValue(previous.plainText)
        return previousIsField && !hasColon && abs(line.box.x0 - previous.box.x0) <= size && gap <= 0.5 * previous.height
    }

    /// True when the next line's first word would not have fitted at the end of `previous`: the text wrapped.
    static func wrapped(_ previous: VisualLine, before line: VisualLine, edge: Double) -> Bool {
        guard let first = line.segments.first else { return false }
        let scalars = Array(first.text.unicodeScalars)
        let wordLength = scalars.firstIndex { $0.properties.isWhitespace } ?? scalars.count
        let CJKStart = scalars.first.map(TextJoiner.isCJK) ?? false
        let characters = CJKStart ? 1 : wordLength
        let wordWidth = first.box.width * Double(characters) / Double(max(1, scalars.count))
        let space = CJKStart ? 0 : 0.25 * first.fontSize
        return previous.box.x1 + space + wordWidth > edge - 0.5 * first.fontSize
    }

    private var edge: Double { rightEdge > 0 ? rightEdge : .infinity }
}
