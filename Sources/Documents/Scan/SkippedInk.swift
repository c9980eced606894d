public import Core

/// Ink the page reading left out: marks no recognised word covers.
///
/// Tesseract's page layout now and then drops a narrow column as noise before reading anything — on a speckled
/// dev scan read at 200 dpi, the whole results column of a lab table (`7.53`, `90.8`, …) with its heading. Such
/// places are found on a coarse grid of the page and read again on their own as one block of lines.
enum SkippedInk {
    struct Region: Equatable {
        var x0: Int, y0: Int, x1: Int, y1: Int
        var width: Int { x1 - x0 }
        var height: Int { y1 - y0 }
    }

    /// Grid cells per inch: a cell is about half a stroke-gap of body text at 200 dpi.
    static let cellsPerInch = 40
    /// Dark pixels that make a cell inky; fewer is a speck the median filter left.
    static let darkPixelsPerCell = 3
    /// Inky cells a region needs: a digit or two of body text, not a speck or a dot.
    static let minimumInkyCells = 8
    /// More regions than this means the reading failed as a whole, not that it skipped a column.
    static let maximumRegions = 12

    /// Regions of ink outside every word box of `lines`, each a group of marks close enough to be one piece of
    /// text (gaps under a third of an inch across, two lines down: a table column of values).
    static func regions(in image: GrayImage, reading lines: [RecognizedText], resolution: Int) -> [Region] {
        let cell = max(3, resolution / cellsPerInch)
        let columns = image.width / cell, rows = image.height / cell
        guard columns > 2, rows > 2 else { return [] }
        var inky = inkyCells(of: image, cell: cell, columns: columns, rows: rows)
        for line in lines {
            let boxes = line.words.isEmpty ? [(line.x, line.y, line.width, line.height)] : line.words.map { ($0.x, $0.y, $0.width, $0.height) }
            for (x, y, width, height) in boxes {
                // A cell's margin round each word: its outermost strokes straddle the box edge.
                let c0 = max(0, x / cell - 1), c1 = min(columns - 1, (x + width) / cell + 1)
                let r0 = max(0, y / cell - 1), r1 = min(rows - 1, (y + height) / cell + 1)
                guard c0 <= c1, r0 <= r1 else { continue }
                for row in r0...r1 { for column in c0...c1 { inky[row * columns + column] = false } }
            }
        }
        let lineHeight = max(cell * 3, lines.map(\.height).sorted().dropFirst(lines.count / 2).first ?? cell * 6)
        let reach = (x: max(1, resolution / 3 / cell), y: max(1, 2 * lineHeight / cell))
        let found = groups(of: inky, columns: columns, rows: rows, reach: reach).map {
            Region(x0: $0.c0 * cell, y0: $0.r0 * cell, x1: min(image.width, ($0.c1 + 1) * cell), y1: min(image.height, ($0.r1 + 1) * cell))
        }
        // A lone glyph (a character the reading dropped from a word, a logo's fragment) is not worth a reading of
        // its own; a region an inch and a half both ways is a picture, and one thinner than a third of a line is
        // a rule's remnant, not text the layout skipped.
        let glyph = lineHeight * 8 / 5, picture = resolution * 3 / 2, stroke = lineHeight / 3
        let text = found.filter {
            ($0.width >= glyph || $0.height >= glyph) && ($0.width < picture || $0.height < picture) && min($0.width, $0.height) > stroke
        }
        return text.count <= maximumRegions ? text : []
    }

    private static func inkyCells(of image: GrayImage, cell: Int, columns: Int, rows: Int) -> [Bool] {
        let threshold = SkewEstimator.darkThreshold(of: image)
        var counts = [Int](repeating: 0, count: columns * rows)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<(rows * cell) {
                let row = y * image.width, base = (y / cell) * columns
                for x in 0..<(columns * cell) where pixels[row + x] < threshold { counts[base + x / cell] += 1 }
            }
        }
        // A cell dark all over is part of a black box or a solid graphic, not of a glyph's strokes; so are the
        // cells round it (the box's edges, partly dark wherever they fall on the grid).
        let solid = counts.map { $0 >= cell * cell * 9 / 10 }
        var inky = counts.map { $0 >= darkPixelsPerCell }
        for index in solid.indices where solid[index] {
            let column = index % columns, row = index / columns
            for r in max(0, row - 1)...min(rows - 1, row + 1) { for c in max(0, column - 1)...min(columns - 1, column + 1) { inky[r * columns + c] = false } }
        }
        return inky
    }

    /// Inky cells gathered into groups: two cells belong together within `reach` cells across and down.
    private static func groups(of inky: [Bool], columns: Int, rows: Int, reach: (x: Int, y: Int)) -> [(c0: Int, r0: Int, c1: Int, r1: Int)] {
        var seen = [Bool](repeating: false, count: inky.count)
        var result: [(c0: Int, r0: Int, c1: Int, r1: Int)] = []
        for start in inky.indices where inky[start] && !seen[start] {
            var stack = [start], count = 0
            var box = (c0: start % columns, r0: start / columns, c1: start % columns, r1: start / columns)
            seen[start] = true
            while let index = stack.popLast() {
                count += 1
                let column = index % columns, row = index / columns
                box = (min(box.c0, column), min(box.r0, row), max(box.c1, column), max(box.r1, row))
                for r in max(0, row - reach.y)...min(rows - 1, row + reach.y) {
                    for c in max(0, column - reach.x)...min(columns - 1, column + reach.x) where inky[r * columns + c] && !seen[r * columns + c] {
                        seen[r * columns + c] = true
                        stack.append(r * columns + c)
                    }
                }
            }
            if count >= minimumInkyCells { result.append(box) }
        }
        return result
    }
}

extension RecognizedText {
    /// The line with its box and its words' boxes moved by (x, y): from a crop's pixels to the page's.
    func moved(x: Int, y: Int) -> RecognizedText {
        var line = self
        line.x += x
        line.y += y
        for index in line.words.indices {
            line.words[index].x += x
            line.words[index].y += y
        }
        return line
    }
}
