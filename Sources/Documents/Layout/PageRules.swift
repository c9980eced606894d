/// The ruling lines of a page, split into horizontal and vertical ones (thin filled rectangles count as rules).
struct PageRules: Sendable {
    var horizontal: [Box] = []
    var vertical: [Box] = []
    /// Traced from a scanned image rather than drawn by the PDF: a faint or broken stroke may be missing.
    var traced = false

    init(marks: [RawMark], traced: Bool = false) {
        self.traced = traced
        for mark in marks {
            let box = mark.box
            switch mark.kind {
            case .stroke:
                if box.height < 1.5, box.width > 3 { horizontal.append(box) } else if box.width < 1.5, box.height > 3 { vertical.append(box) }
            case .fill:
                if box.height <= 2.5, box.width > 3 { horizontal.append(box) } else if box.width <= 2.5, box.height > 3 { vertical.append(box) }
            }
        }
    }

    /// x positions of vertical rules crossing `line` vertically, merged within 2 pt, ascending.
    func verticalRules(crossing line: Box) -> [Double] {
        let xs = vertical.filter { $0.y0 <= line.midY && $0.y1 >= line.midY && $0.midX >= line.x0 - 20 && $0.midX <= line.x1 + 20 }
            .map(\.midX).sorted()
        var merged: [Double] = []
        for x in xs where merged.last.map({ x - $0 > 2 }) ?? true { merged.append(x) }
        return merged
    }

    /// x positions of the vertical rules crossing any of the row boxes, strictly inside their horizontal extent
    /// (inner boundaries), merged within 2 pt.
    func verticalRules(crossingAny rows: [Box]) -> [Double] {
        let extent = rows.union()
        let xs = rows.flatMap { verticalRules(crossing: $0) }.filter { $0 > extent.x0 + 2 && $0 < extent.x1 - 2 }.sorted()
        // (Rules up to 20 pt outside the boxes count as crossing them; only those inside are boundaries.)
        var merged: [Double] = []
        for x in xs where merged.last.map({ x - $0 > 2 }) ?? true { merged.append(x) }
        return merged
    }

    /// True when no horizontal rule separates the two line boxes but vertical rules enclose them both: the second
    /// line is a wrapped continuation inside the same ruled row.
    func sameRow(_ upper: Box, _ lower: Box) -> Bool {
        guard !vertical.isEmpty else { return false }
        let enclosing = vertical.contains { $0.y0 <= upper.midY && $0.y1 >= lower.midY }
        guard enclosing else { return false }
        let separated = horizontal.contains {
            $0.midY > upper.midY && $0.midY < lower.midY && $0.horizontalOverlap(upper.union(lower)) > 0.5 * min(upper.width, lower.width)
        }
        return !separated
    }

    /// True when a horizontal rule runs between the two boxes (across most of their common width).
    func hasRule(between upper: Box, and lower: Box) -> Bool {
        horizontal.contains {
            $0.midY >= upper.midY && $0.midY <= lower.midY && $0.horizontalOverlap(upper.union(lower)) > 0.5 * min(upper.width, lower.width)
        }
    }

    /// True when vertical rules run through the box at two or more places (a full grid rather than horizontal rules
    /// only). Grids drawn cell by cell count as well as grids drawn with long lines.
    func hasGrid(around box: Box) -> Bool {
        let xs = vertical.filter { $0.verticalOverlap(box) > 0 && $0.midX >= box.x0 - 5 && $0.midX <= box.x1 + 5 }.map(\.midX).sorted()
        var distinct: [Double] = []
        for x in xs where distinct.last.map({ x - $0 > 2 }) ?? true { distinct.append(x) }
        return distinct.count >= 2
    }
}
