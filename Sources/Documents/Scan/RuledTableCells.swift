public import Core

/// One cell of a ruled table on a scanned page: the inside of the rectangle between two neighbouring horizontal
/// rules and two neighbouring vertical rules that cross both, in pixels of the levelled image.
public struct RuledCell: Sendable, Equatable {
    public var x0: Int, y0: Int, x1: Int, y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) { (self.x0, self.y0, self.x1, self.y1) = (x0, y0, x1, y1) }

    public var width: Int { x1 - x0 }
    public var height: Int { y1 - y0 }

    func contains(centreOf word: RecognizedWord) -> Bool {
        let cx = word.x + word.width / 2, cy = word.y + word.height / 2
        return cx >= x0 && cx < x1 && cy >= y0 && cy < y1
    }
}

extension ImageRules.Rule {
    var length: Int { isHorizontal ? x1 - x0 : y1 - y0 }
}

extension ImageRules {
    /// The cells of the page's fully ruled tables, row by row. Rules that do not close a grid (a three-line table, a
    /// rule under a heading) give none: their text is left to the page's own reading.
    /// - Parameter maximumRowHeight: a taller band between two rules is a box around a paragraph, not a table row.
    public func cells(maximumRowHeight: Int) -> [RuledCell] {
        let slack = 4
        // A rule broken in the image leaves pieces beside the whole: only the longest rule at a place counts.
        let kept = rules.filter { rule in
            !rules.contains { other in
                other != rule && other.isHorizontal == rule.isHorizontal && other.length > rule.length
                    && (rule.isHorizontal
                        ? other.y0 <= rule.y1 + 1 && rule.y0 <= other.y1 + 1 && other.x0 <= rule.x0 + slack && rule.x1 <= other.x1 + slack
                        : other.x0 <= rule.x1 + 1 && rule.x0 <= other.x1 + 1 && other.y0 <= rule.y0 + slack && rule.y1 <= other.y1 + slack)
            }
        }
        let horizontal = kept.filter(\.isHorizontal).sorted { $0.y0 < $1.y0 }
        let vertical = kept.filter { !$0.isHorizontal }
        var cells: [RuledCell] = []
        for (index, top) in horizontal.enumerated() {
            // The nearest rule below that runs along most of this one is the row's bottom.
            guard let bottom = horizontal[(index + 1)...].first(where: { rule in
                rule.y0 > top.y1 + slack && min(rule.x1, top.x1) - max(rule.x0, top.x0) > min(rule.x1 - rule.x0, top.x1 - top.x0) / 2
            }), bottom.y0 - top.y1 <= maximumRowHeight else { continue }
            let left = max(top.x0, bottom.x0), right = min(top.x1, bottom.x1)
            let columns = vertical.filter { rule in
                let x = (rule.x0 + rule.x1) / 2
                return rule.y0 <= top.y1 + slack && rule.y1 >= bottom.y0 - slack && x >= left - slack && x <= right + slack
            }.sorted { $0.x0 < $1.x0 }
            for (a, b) in zip(columns, columns.dropFirst()) where b.x0 - a.x1 > 2 * slack {
                cells.append(RuledCell(x0: a.x1, y0: top.y1, x1: b.x0, y1: bottom.y0))
            }
        }
        return cells
    }
}
