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
            // Extend over the following lines that keep clear of the gutter (a column's short last line too).
            var end = index + 1
            var strong = 1
            while end < lines.count, continuesColumns(lines[end], after: lines[end - 1], gutter: gutter) {
                if let next = self.gutter(of: lines[end], pageWidth: pageWidth), abs(next - gutter) < 0.05 * pageWidth { strong += 1 }
                end += 1
            }
            if strong >= 2 {
                let run = lines[index..<end]
                result += run.compactMap { part(of: $0, leftOf: gutter, left: true) }
                result += run.compactMap { part(of: $0, leftOf: gutter, left: false) }
            } else {
                result += lines[index..<end]
            }
            index = end
        }
        return result
    }

    /// A line right below that keeps clear of the gutter with at most two segments on either side (not a table):
    /// text on both sides, or text on one side only (the longer column going on) in the run's size, closely below.
    private static func continuesColumns(_ line: VisualLine, after previous: VisualLine, gutter: Double) -> Bool {
        let gap = line.box.y0 - previous.box.y1
        guard gap <= 1.5 * previous.height, !LineTraits.isFieldGridRow(line) else { return false }
        guard !line.segments.contains(where: { $0.box.x0 < gutter && $0.box.x1 > gutter }) else { return false }
        let left = line.segments.filter { $0.box.x1 <= gutter }.count
        let right = line.segments.count - left
        guard left <= 2, right <= 2 else { return false }
        if left > 0 && right > 0 { return true }
        return gap <= 0.8 * previous.height && abs(line.fontSize - previous.fontSize) < 0.5
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
