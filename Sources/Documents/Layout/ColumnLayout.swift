/// Reading order for pages set in two text columns: where three or more consecutive lines each fall into a left
/// and a right part on either side of one gutter, and both parts are running text (not a field grid or a table),
/// the left column is read before the right one.
enum ColumnLayout {
    static func readingOrder(_ lines: [VisualLine], pageWidth: Double) -> [VisualLine] {
        var result: [VisualLine] = []
        var index = 0
        while index < lines.count {
            guard let gutter = gutter(of: lines[index], pageWidth: pageWidth) else {
                result.append(lines[index])
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count, let next = self.gutter(of: lines[end], pageWidth: pageWidth), abs(next - gutter) < 0.05 * pageWidth {
                end += 1
            }
            // A single-column line between two-column lines (one side empty) belongs to its column too.
            if end - index >= 3 {
                let run = lines[index..<end]
                let left = run.compactMap { part(of: $0, leftOf: gutter, left: true) }
                let right = run.compactMap { part(of: $0, leftOf: gutter, left: false) }
                result += left + right
            } else {
                result += lines[index..<end]
            }
            index = end
        }
        return result
    }

    /// The gutter's x when the line splits into two prose parts around the page's middle third.
    private static func gutter(of line: VisualLine, pageWidth: Double) -> Double? {
        guard line.segments.count >= 2, line.segments.count <= 4, !LineTraits.isFieldGridRow(line) else { return nil }
        for (left, right) in zip(line.segments, line.segments.dropFirst()) {
            let middle = (left.box.x1 + right.box.x0) / 2
            guard middle > pageWidth * 0.35, middle < pageWidth * 0.65 else { continue }
            let leftWidth = line.segments.filter { $0.box.x1 <= middle }.map(\.box).union().width
            let rightWidth = line.segments.filter { $0.box.x0 >= middle }.map(\.box).union().width
            if leftWidth > pageWidth * 0.3, rightWidth > pageWidth * 0.3 { return middle }
        }
        return nil
    }

    private static func part(of line: VisualLine, leftOf gutter: Double, left: Bool) -> VisualLine? {
        let segments = line.segments.filter { left ? $0.box.midX < gutter : $0.box.midX >= gutter }
        return segments.isEmpty ? nil : VisualLine(segments: segments)
    }
}
