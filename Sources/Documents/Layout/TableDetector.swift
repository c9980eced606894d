/// Reads tables out of a page's lines: a header line of three or more separate segments fixes the columns (or the
/// vertical rules do, where the table is ruled), and following lines whose segments fall into those columns are its
/// rows. Lines holding only cells of later columns continue the row above (wrapped cells). Two tables printed side
/// by side — a header that repeats, or a gutter much wider than the gaps between columns — are read as two.
struct TableDetector {
    let bodyFontSize: Double
    let rules: PageRules

    struct Result {
        var tables: [Table]
        var boxes: [Box]
        var nextLine: Int
        /// Column boundaries of the last table, for a continuation on the next page.
        var columns: [Double]
    }

    /// Rows at the top of a page that continue a table from the page before: lines falling into that table's
    /// columns (the same x positions), with no header of their own. The first may be the rest of a row the page
    /// break cut, when the grid's rules run through it.
    func continuation(of columns: [Double], in lines: [VisualLine], at start: Int) -> Result? {
        guard start < lines.count else { return nil }
        let first = lines[start]
        let across = Box(x0: first.box.x0 - 20, y0: first.box.y0, x1: max(first.box.x1, (columns.last ?? 0) + 20), y1: first.box.y1)
        let cutRow = rules.verticalRules(crossing: across).count >= 2
        guard first.segments.count >= 2 || cutRow, first.fontSize < bodyFontSize * 1.25, !LineTraits.isFieldGridRow(first) else { return nil }
        var table = GatheredRows()
        table.add(row: first.segments, cells: assign(first.segments, to: columns, cutting: true), box: first.box, gap: 0)
        let extent = Box(x0: -Double.infinity, y0: 0, x1: Double.infinity, y1: 0)
        let next = gather(lines, from: start + 1, columns: columns, extent: extent, into: &table, page: first.page,
                          rowHeight: first.height, continuationsFrom: 1, cutting: true)
        let cells = table.rows.map { $0.map(Self.cell) }
        let box = table.boxes.union()
        return Result(tables: [Table(rows: cells, headerRows: 0, pages: [first.page], detection: rules.hasGrid(around: box) ? .ruled : .aligned)],
                      boxes: [box], nextLine: next, columns: columns)
    }

    func table(in lines: [VisualLine], at start: Int) -> Result? {
        let header = lines[start]
        guard header.segments.count >= 3, !LineTraits.isFieldGridRow(header),
              header.fontSize < bodyFontSize * 1.3 else { return nil }
        let columns = columnBounds(for: header)
        let extent = Box(x0: header.box.x0 - 2 * header.fontSize, y0: header.box.y0,
                         x1: header.box.x1 + 4 * header.fontSize, y1: header.box.y1)
        var gathered = GatheredRows()
        gathered.add(row: header.segments, cells: assign(header.segments, to: columns), box: header.box, gap: 0)
        let index = gather(lines, from: start + 1, columns: columns, extent: extent, into: &gathered, page: header.page,
                           rowHeight: header.height, continuationsFrom: 2, cutting: false)
        var rows = gathered.rows
        let rowSegments = gathered.segments
        let rowBoxes = gathered.boxes
        guard rows.count >= 2 else { return nil }
        // With every row known, the columns are where the rows' text leaves a common gap (right-aligned numbers
        // under a left-aligned header end where the header's midpoints would not say).
        var bounds = columns
        if let refined = projectedBounds(rowSegments, header: header), rules.verticalRules(crossing: header.box).count < 2 {
            bounds = refined
            rows = rowSegments.map { assign($0, to: refined, cutting: true) }
        }
        let detection: Table.Detection = rules.hasGrid(around: rowBoxes.union()) ? .ruled : .aligned
        var mergeRight = rows.map { Array(repeating: false, count: $0.count) }
        if detection == .ruled {
            // Every vertical rule of the grid is a column boundary, even where the header merges two columns; a
            // row that lacks one of them has a cell spanning it.
            let extent = rowBoxes.union()
            let bands = rowBoxes.map { Box(x0: extent.x0, y0: $0.y0, x1: extent.x1, y1: $0.y1) }
            let grid = rules.verticalRules(crossingAny: bands)
            if grid.count > bounds.count {
                bounds = grid
                rows = rowSegments.map { assign($0, to: grid) }
            }
            if rules.traced {
                // OCR reads a stroke the tracing missed as `|` and runs the cells on both sides into one segment.
                for index in rows.indices {
                    let pieces = rowSegments[index].flatMap { $0.cut(atRuleGlyphsNear: bounds, tolerance: max(3, 0.6 * $0.fontSize)) }
                    if pieces.count > rowSegments[index].count { rows[index] = assign(pieces, to: bounds) }
                }
            }
            mergeRight = zip(rows, bands).enumerated().map { rowIndex, item in
                let (row, band) = item
                let own = rules.verticalRules(crossing: band)
                return (0..<row.count).map { column in
                    guard column < bounds.count, !own.contains(where: { abs($0 - bounds[column]) <= 2 }) else { return false }
                    // A PDF's own rules are exact: a missing one is a merged cell.
                    guard rules.traced else { return true }
                    // On a scan a faint or broken stroke goes missing. Text running across it says the cells are
                    // merged; a header cell may also be merged with an empty neighbour (a title over two columns).
                    let bound = bounds[column]
                    if row.joined().contains(where: { $0.box.x0 < bound - 1 && $0.box.x1 > bound + 1 }) { return true }
                    return rowIndex == 0 && (row[column].isEmpty || column + 1 >= row.count || row[column + 1].isEmpty)
                }
            }
        }
        let lastColumn = rows[0].count - 1
        // Columns no row uses (the gutter between two ruled tables side by side) are dropped.
        let used = (0...lastColumn).filter { column in rows.contains { !$0[column].isEmpty } }
        rows = rows.map { row in used.map { row[$0] } }
        mergeRight = mergeRight.map { flags in used.map { flags[$0] } }
        let splitColumn = periodicSplit(rows) ?? sideBySideSplit(rows[0], header: header)
        var tables: [Table] = []
        var boxes: [Box] = []
        let columnCount = used.count
        let parts: [Range<Int>] = splitColumn.map { [0..<$0, $0..<columnCount] } ?? [0..<columnCount]
        for part in parts {
            let partRows = zip(rows, mergeRight).map { (Array($0[part]), Array($1[part])) }.filter { $0.0.contains { !$0.isEmpty } }
            guard !partRows.isEmpty else { continue }
            // The right half without a header of its own is the same table flowing on into the next column.
            if part.lowerBound > 0, let first = tables.first, partRows[0].0.map(Self.key) != first.header.map(Self.key) {
                let width = first.columnCount
                let flowing = partRows.map { row in
                    Self.cells(row.0, mergingRight: row.1) + Array(repeating: Cell(text: ""), count: max(0, width - row.0.count))
                }
                tables[0].rows += flowing.map { Array($0.prefix(width)) }
                boxes[0] = boxes[0].union(partRows.flatMap { $0.0.flatMap { $0.map(\.box) } }.union())
                continue
            }
            guard partRows.count >= 2 else { continue }
            tables.append(Table(rows: partRows.map { Self.cells($0.0, mergingRight: $0.1) }, headerRows: 1,
                                pages: [header.page], detection: detection))
            boxes.append(partRows.flatMap { $0.0.flatMap { $0.map(\.box) } }.union())
        }
        guard !tables.isEmpty else { return nil }
        return Result(tables: tables, boxes: boxes, nextLine: index, columns: Self.bounds(of: tables[tables.count - 1]))
    }

    /// The rows read so far: cells per column, every row's segments and box.
    struct GatheredRows {
        var rows: [[[TextSegment]]] = []
        var segments: [[TextSegment]] = []
        var boxes: [Box] = []
        var gaps: [Double] = []

        mutating func add(row: [TextSegment], cells: [[TextSegment]], box: Box, gap: Double) {
            if gap > 0 { gaps.append(gap) }
            rows.append(cells)
            segments.append(row)
            boxes.append(box)
        }

        mutating func extendLast(with line: VisualLine, cells: [[TextSegment]]) {
            for (column, segments) in cells.enumerated() { rows[rows.count - 1][column] += segments }
            segments[segments.count - 1] += line.segments
            boxes[boxes.count - 1] = boxes[boxes.count - 1].union(line.box)
        }
    }

    /// Takes the lines from `start` that belong to the table — new rows, and lines that continue the row above
    /// (wrapped cells) — and returns the index of the first line that does not.
    ///
    /// - Parameter continuationsFrom: how many rows there must be before a line may continue the last one (a
    ///   header is never continued by the first body row).
    private func gather(_ lines: [VisualLine], from start: Int, columns: [Double], extent: Box, into table: inout GatheredRows,
                        page: Int, rowHeight: Double, continuationsFrom: Int, cutting: Bool) -> Int {
        var index = start
        while index < lines.count {
            let line = lines[index]
            guard line.page == page, let lastBox = table.boxes.last else { break }
            let gap = line.box.y0 - lastBox.y1
            let allowed = table.gaps.isEmpty ? 1.6 * rowHeight : max(1.8 * table.gaps.median, 0.6 * rowHeight)
            // A larger font ends the table (a heading follows) — unless the line sits in the table's grid, between
            // vertical rules and below a rule (OCR'd cells measure their font sizes poorly).
            let inGrid = rules.verticalRules(crossing: line.box).count >= 2 && rules.hasRule(between: lastBox, and: line.box)
            if gap > allowed || (line.fontSize > bodyFontSize * 1.25 && !inGrid) || LineTraits.isFieldGridRow(line) { break }
            // A single piece of text reaching beyond the table is running text; rows may reach further than the
            // header (a column whose header cell is missing on this line).
            if line.segments.count == 1, line.box.x0 < extent.x0 || line.box.x1 > extent.x1 { break }
            let cells = assign(line.segments, to: columns, cutting: cutting)
            let firstFilled = cells.firstIndex { !$0.isEmpty } ?? 0
            let filled = cells.filter { !$0.isEmpty }.count
            let sameRuledRow = rules.sameRow(lastBox, line.box)
            // A wrapped continuation holds a cell or two, never most of a row: in later columns, or in any column
            // when set tight below the line above (closer than rows are to each other).
            // A wrapped header cell ("Reference / Range") continues the header the same way.
            let tight = (table.gaps.isEmpty ? gap < 0.2 * line.height : gap < 0.4 * table.gaps.median)
                && !rules.hasRule(between: lastBox, and: line.box)
            let continues = ((firstFilled > 0 && gap < 0.6 * line.height) || tight) && filled <= max(1, cells.count / 2)
                || sameRuledRow
            if continues, table.rows.count >= continuationsFrom || sameRuledRow || tight {
                table.extendLast(with: line, cells: cells)
            } else if continuationsFrom == 2, Self.repeatsHeader(cells, table.rows[0]) {
                break   // the header printed again: a second table starts here
            } else if line.segments.count >= 2 || (firstFilled > 0 && line.segments.count == 1 && table.rows.count > 1) {
                table.add(row: line.segments, cells: cells, box: line.box, gap: gap)
            } else {
                break
            }
            index += 1
        }
        return index
    }

    /// True when a row reads as the header again: three or more cells, each the header's cell or the start of it
    /// (a wrapped header cell's first line).
    static func repeatsHeader(_ cells: [[TextSegment]], _ header: [[TextSegment]]) -> Bool {
        let texts = cells.map { $0.map(\.text).joined(separator: " ") }
        let heads = header.map { $0.map(\.text).joined(separator: " ") }
        let filled = texts.enumerated().filter { !$0.element.isEmpty }
        guard filled.count >= 3, texts.count == heads.count else { return false }
        return filled.allSatisfy { index, text in !heads[index].isEmpty && heads[index].hasPrefix(text) }
    }

    /// Column boundaries from the gaps no segment of the body rows crosses. A header cell over no body column is
    /// either the label of a column whose values sit to its right (a left-aligned header over right-aligned
    /// numbers) or a column of its own (a flag column empty in every row). Nil when the body shows fewer columns
    /// than the header has cells.
    private func projectedBounds(_ rows: [[TextSegment]], header: VisualLine) -> [Double]? {
        var bands = Self.bands(of: Array(rows.dropFirst()))
        // A band under two header cells is two columns joined by an overflowing cell: split it between them.
        bands = bands.flatMap { band -> [(low: Double, high: Double)] in
            let cells = header.segments.filter { $0.box.x0 >= band.low - 1 && $0.box.x0 < band.high }
            guard cells.count >= 2 else { return [band] }
            var pieces: [(low: Double, high: Double)] = []
            var low = band.low
            for (left, right) in zip(cells, cells.dropFirst()) {
                let cut = (left.box.x1 + right.box.x0) / 2
                pieces.append((low, cut - 1))
                low = cut + 1
            }
            pieces.append((low, band.high))
            return pieces
        }
        var labelled = Set<Int>()
        for cell in header.segments {
            if let overlapping = bands.firstIndex(where: { $0.low < cell.box.x1 && $0.high > cell.box.x0 }) {
                labelled.insert(overlapping)
                continue
            }
            let right = bands.firstIndex { $0.low >= cell.box.x1 }
            let gapRight = right.map { bands[$0].low - cell.box.x1 } ?? .infinity
            let gapLeft = bands.last { $0.high <= cell.box.x0 }.map { cell.box.x0 - $0.high } ?? .infinity
            if let right, !labelled.contains(right), gapRight < gapLeft, gapRight < 4 * cell.fontSize {
                bands[right].low = cell.box.x0
                labelled.insert(right)
            } else {
                bands.append((cell.box.x0, cell.box.x1))
                bands.sort { $0.low < $1.low }
                labelled = Set(labelled.map { $0 >= (bands.firstIndex { $0.low == cell.box.x0 } ?? 0) ? $0 + 1 : $0 })
            }
        }
        guard bands.count >= header.segments.count else { return nil }
        return zip(bands, bands.dropFirst()).map { ($0.high + $1.low) / 2 }
    }

    /// The x ranges most body rows print text in: a point belongs to a band when at least a fifth of the rows
    /// (one, in a small table) cover it, so a few cells overflowing into the next column do not join two columns.
    static func bands(of rows: [[TextSegment]]) -> [(low: Double, high: Double)] {
        let segments = rows.flatMap { $0 }
        guard let minX = segments.map(\.box.x0).min(), let maxX = segments.map(\.box.x1).max(), maxX > minX else { return [] }
        let step = 0.5
        let count = Int((maxX - minX) / step) + 2
        var coverage = [Int](repeating: 0, count: count)
        for row in rows {
            var covered = [Bool](repeating: false, count: count)
            for segment in row {
                let from = Int((segment.box.x0 - minX) / step), to = min(count - 1, Int((segment.box.x1 - minX) / step))
                guard from <= to else { continue }
                for bin in from...to { covered[bin] = true }
            }
            for bin in 0..<count where covered[bin] { coverage[bin] += 1 }
        }
        let threshold = max(1, (rows.count + 4) / 5)
        var bands: [(low: Double, high: Double)] = []
        var start: Int?
        for bin in 0...count {
            let inBand = bin < count && coverage[bin] >= threshold
            if inBand, start == nil { start = bin }
            if !inBand, let open = start {
                bands.append((minX + Double(open) * step, minX + Double(bin) * step))
                start = nil
            }
        }
        // Bands closer than a third of an em are one column (letter spacing, a narrow gap inside a cell).
        let em = segments.map(\.fontSize).median
        var merged: [(low: Double, high: Double)] = []
        for band in bands {
            if let last = merged.last, band.low - last.high < 0.3 * em { merged[merged.count - 1].high = band.high } else { merged.append(band) }
        }
        return merged
    }

    /// Column boundaries: the vertical rules crossing the header, else midpoints between header segments.
    private func columnBounds(for header: VisualLine) -> [Double] {
        let ruled = rules.verticalRules(crossing: header.box)
        if ruled.count >= header.segments.count - 1, ruled.count >= 2 {
            let inner = ruled.filter { $0 > header.box.x0 + 1 && $0 < header.box.x1 - 1 }
            if inner.count >= 2 { return inner }
        }
        return zip(header.segments, header.segments.dropFirst()).map { ($0.box.x1 + $1.box.x0) / 2 }
    }

    /// Segments per column: each goes to the column holding most of it. With `cutting` (boundaries known from
    /// the whole table, not guessed from the header), overflowing segments are cut first.
    private func assign(_ segments: [TextSegment], to bounds: [Double], cutting: Bool = false) -> [[TextSegment]] {
        var cells = Array(repeating: [TextSegment](), count: bounds.count + 1)
        for segment in cutting ? segments.flatMap({ cut($0, at: bounds) }) : segments {
            var best = 0
            var bestOverlap = -Double.infinity
            for column in 0...bounds.count {
                let low = column == 0 ? -Double.infinity : bounds[column - 1]
                let high = column == bounds.count ? Double.infinity : bounds[column]
                let overlap = min(high, segment.box.x1) - max(low, segment.box.x0)
                if overlap > bestOverlap {
                    bestOverlap = overlap
                    best = column
                }
            }
            cells[best].append(segment)
        }
        return cells
    }

    /// A segment reaching well into the next column (an overflowing cell run into its neighbour's text) is cut at
    /// a gap between characters near the boundary.
    private func cut(_ segment: TextSegment, at bounds: [Double]) -> [TextSegment] {
        let em = segment.fontSize
        for (index, boundary) in bounds.enumerated() where segment.box.x0 < boundary - em && segment.box.x1 > boundary + em {
            // The next column's text starts somewhere between this boundary and the next one.
            let next = index + 1 < bounds.count ? bounds[index + 1] : segment.box.x1
            if let (left, right) = segment.split(within: (boundary - 2 * em)...next) {
                return [left] + cut(right, at: bounds)
            }
        }
        return [segment]
    }

    /// The column where a second table starts, when the header repeats itself or has one gutter much wider than
    /// the other column gaps.
    private func sideBySideSplit(_ headerCells: [[TextSegment]], header: VisualLine) -> Int? {
        let texts = headerCells.map(Self.key)
        let count = texts.count
        if count >= 4 {
            for width in 2...(count / 2) where Array(texts[0..<width]) == Array(texts[width..<min(count, 2 * width)]) {
                return width
            }
        }
        let segments = header.segments
        guard segments.count >= 4 else { return nil }
        let gaps = zip(segments, segments.dropFirst()).map { $1.box.x0 - $0.box.x1 }
        guard let widest = gaps.indices.max(by: { gaps[$0] < gaps[$1] }) else { return nil }
        let others = gaps.enumerated().filter { $0.offset != widest }.map(\.element)
        guard widest >= 1, widest + 1 <= segments.count - 2, gaps[widest] > 3 * others.median,
              gaps[widest] > 3 * header.fontSize else { return nil }
        return widest + 1
    }

    /// The column where the same columns start again further right (a table printed in two halves side by side,
    /// with or without the header repeated): column starts that repeat at one constant offset.
    private func periodicSplit(_ rows: [[[TextSegment]]]) -> Int? {
        let count = rows.first?.count ?? 0
        guard count >= 4 else { return nil }
        let starts: [Double] = (0..<count).map { column in rows.flatMap { $0[column].map(\.box.x0) }.median }
        // What a column holds: the share of its cells that read as numbers. Evenly spaced columns of one table
        // repeat their positions too, but not their content (names under names, values under values).
        let numeric: [Double] = (0..<count).map { column in
            let texts = rows.dropFirst().map { $0[column].map(\.text).joined() }.filter { !$0.isEmpty }
            let numbers = texts.filter { text in
                text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ".-<>≤≥+~～% ".unicodeScalars.contains($0) }
            }
            return texts.isEmpty ? 0 : Double(numbers.count) / Double(texts.count)
        }
        for width in stride(from: (count + 1) / 2, through: 3, by: -1) where count - width == width || count - width == width - 1 {
            let offset = starts[width] - starts[0]
            guard offset > 4 * bodyFontSize else { continue }
            let compared = 0..<(count - width)
            if compared.allSatisfy({ abs(starts[$0 + width] - starts[$0] - offset) <= 3 && abs(numeric[$0 + width] - numeric[$0]) < 0.5 }) {
                return width
            }
        }
        return nil
    }

    /// A header cell as compared with another copy of it: letters and digits only (OCR sprinkles stray dots and
    /// specks over one copy and not the other).
    private static func key(_ cells: [TextSegment]) -> String { key(cells.map(\.text).joined()) }
    private static func key(_ text: String) -> String { text.filter { $0.isLetter || $0.isNumber }.lowercased() }

    /// Boundaries between a table's columns: halfway between where a column's cells usually end (the median, so
    /// one overflowing cell does not move it) and where the next column's cells start.
    static func bounds(of table: Table) -> [Double] {
        let width = table.columnCount
        var ends = Array(repeating: [Double](), count: width)
        var starts = Array(repeating: Double.infinity, count: width)
        for row in table.rows {
            for (column, cell) in row.enumerated() where column < width && !cell.spans.isEmpty {
                let box = cell.spans.map(\.box).union()
                ends[column].append(box.x1)
                starts[column] = min(starts[column], box.x0)
            }
        }
        return (0..<max(0, width - 1)).compactMap { column in
            guard !ends[column].isEmpty, starts[column + 1].isFinite else { return nil }
            return (min(ends[column].median, starts[column + 1]) + starts[column + 1]) / 2
        }
    }

    /// A row's cells, a cell joined with the next where the row has no rule between them (a spanning cell).
    private static func cells(_ row: [[TextSegment]], mergingRight merges: [Bool]) -> [Cell] {
        var result: [Cell] = []
        var column = 0
        while column < row.count {
            var segments = row[column]
            var span = 1
            while column + span < row.count, merges[column + span - 1] {
                segments += row[column + span]
                span += 1
            }
            var merged = cell(segments)
            merged.columnSpan = span
            result.append(merged)
            column += span
        }
        return result
    }

    private static func cell(_ segments: [TextSegment]) -> Cell {
        let ordered = segments.sorted { abs($0.box.y0 - $1.box.y0) > 0.5 * $0.box.height ? $0.box.y0 < $1.box.y0 : $0.box.x0 < $1.box.x0 }
        var text = ""
        for (index, segment) in ordered.enumerated() {
            if index > 0 { text += TextJoiner.separator(between: text, and: segment.text) }
            text += segment.text
        }
        return Cell(text: text, spans: ordered.map(\.span))
    }
}
