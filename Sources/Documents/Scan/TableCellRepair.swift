public import Core

/// Second reading of the cells of ruled tables, where a whole-page reading is weakest: a narrow column of short
/// numbers the page segmentation skipped, a flag arrow read as `1`, `个` or nothing, the residue of an erased rule
/// read as `”` at a cell's edge. Each cell is looked at alone, within its rules.
struct TableCellRepair {
    let engine: any OCREngine
    /// The language the page was read in (a cell is read again in the same one).
    let languages: [Language]
    let resolution: Int

    /// `lines` with the cells' words repaired and the words of cells the page reading missed added (as lines of
    /// their own, which the layout places by their boxes).
    func repair(_ lines: [RecognizedText], cells: [RuledCell], image: GrayImage) throws -> [RecognizedText] {
        let ink = InkRegion.Scanner(image: image)
        var lines = Self.arrowsStandingAlone(in: lines, ink: ink)
        guard !cells.isEmpty else { return lines }
        var added: [RecognizedText] = []
        for cell in cells {
            let members = lines.indices.flatMap { line in
                lines[line].words.indices.filter { cell.contains(centreOf: lines[line].words[$0]) }.map { (line, $0) }
            }
            if members.isEmpty {
                added += try read(cell, ink: ink, image: image)
                continue
            }
            if members.count == 1, let (line, word) = members.first, lines[line].words[word].text.unicodeScalars.count <= 2,
               let box = ink.box(x0: max(cell.x0, lines[line].words[word].x - 2), y0: cell.y0 + 1,
                                 x1: min(cell.x1, lines[line].words[word].x + lines[line].words[word].width + 2), y1: cell.y1 - 1),
               let arrow = ArrowGlyph.direction(of: box, scanner: ink) {
                lines[line].words[word].text = arrow
            }
            // The first and last word of a cell lose the specks an erased rule leaves beside them.
            let (firstLine, firstWord) = members.first!, (lastLine, lastWord) = members.last!
            lines[firstLine].words[firstWord].text = StrayMarks.trimmingLeading(lines[firstLine].words[firstWord].text)
            lines[lastLine].words[lastWord].text = StrayMarks.trimmingTrailing(lines[lastLine].words[lastWord].text)
        }
        for index in lines.indices {
            lines[index].words.removeAll { $0.text.isEmpty }
            lines[index].text = lines[index].wordText
        }
        return lines.filter { !$0.words.isEmpty } + added
    }

    /// A one-character word with space on both sides (a flag column of a table without rules) whose ink is an arrow
    /// becomes the arrow, whatever it was read as (`1`, `个`, `人`, `J`, `儿` …).
    static func arrowsStandingAlone(in lines: [RecognizedText], ink: InkRegion.Scanner) -> [RecognizedText] {
        var lines = lines
        for index in lines.indices {
            let words = lines[index].words
            var changed = false
            for (position, word) in words.enumerated() where word.text.unicodeScalars.count == 1 && word.text != "↑" && word.text != "↓" {
                let gap = max(4, word.height * 8 / 10)
                let before = position == 0 || word.x - (words[position - 1].x + words[position - 1].width) > gap
                let after = position == words.count - 1 || words[position + 1].x - (word.x + word.width) > gap
                guard before, after, let box = ink.box(x0: word.x - 1, y0: word.y - 1, x1: word.x + word.width + 1, y1: word.y + word.height + 1),
                      let arrow = ArrowGlyph.direction(of: box, scanner: ink) else { continue }
                lines[index].words[position].text = arrow
                changed = true
            }
            if changed { lines[index].text = lines[index].wordText }
        }
        return lines
    }

    /// A cell the page reading found nothing in: an arrow when its ink is one, else whatever a one-line reading
    /// of the cell alone finds.
    private func read(_ cell: RuledCell, ink: InkRegion.Scanner, image: GrayImage) throws -> [RecognizedText] {
        let margin = 2
        guard let box = ink.box(x0: cell.x0 + margin, y0: cell.y0 + margin, x1: cell.x1 - margin, y1: cell.y1 - margin),
              box.darkPixels >= 12, box.height * 4 >= cell.height else { return [] }
        if let arrow = ArrowGlyph.direction(of: box, scanner: ink) {
            let word = RecognizedWord(text: arrow, x: box.x0, y: box.y0, width: box.width, height: box.height, confidence: 0.9)
            return [RecognizedText(text: arrow, x: box.x0, y: box.y0, width: box.width, height: box.height, confidence: 0.9, words: [word])]
        }
        let pad = max(4, box.height / 3)
        let x0 = max(cell.x0, box.x0 - pad), y0 = max(cell.y0, box.y0 - pad)
        let crop = image.cropped(x0: x0, y0: y0, x1: min(cell.x1, box.x1 + pad), y1: min(cell.y1, box.y1 + pad))
        let found = try engine.recognize(crop, options: OCROptions(languages: languages, layout: .line, resolution: resolution))
        return found.compactMap { line in
            var line = line
            line.words = line.words.filter { $0.confidence >= 0.5 }.map { word in
                var word = word
                word.x += x0
                word.y += y0
                word.text = StrayMarks.trimmed(word.text)
                return word
            }.filter { !$0.text.isEmpty }
            guard !line.words.isEmpty else { return nil }
            line.x += x0
            line.y += y0
            line.text = line.wordText
            return line
        }
    }
}

/// Marks at the edge of a cell's text that are residue (an erased rule's blur read as `”`, a speck as `。`), never
/// content: no report's value, unit or heading begins with a closing quote or a full stop.
enum StrayMarks {
    /// Marks that never begin a phrase: at the start of a word that stands apart (the line's first, or after a gap
    /// wider than a character), they are a speck the Chinese model read as punctuation (`”单位` in a table heading).
    static let neverLeading: Set<Unicode.Scalar> = ["”", "’", "，", "。", "、", "；"]

    /// The line with such marks taken off the front of its detached words.
    static func tidy(_ line: RecognizedText) -> RecognizedText {
        var line = line
        var previousEnd: Int?
        for index in line.words.indices {
            let word = line.words[index]
            defer { previousEnd = word.x + word.width }
            let detached = previousEnd.map { word.x - $0 > max(4, word.height * 8 / 10) } ?? true
            guard detached, let first = word.text.unicodeScalars.first, neverLeading.contains(first), word.text.unicodeScalars.count > 1 else { continue }
            line.words[index].text = String(String.UnicodeScalarView(word.text.unicodeScalars.drop { neverLeading.contains($0) }))
        }
        line.words.removeAll { $0.text.isEmpty }
        if !line.words.isEmpty { line.text = line.wordText }
        return line
    }

    static let leading: Set<Unicode.Scalar> = ["”", "“", "\"", "'", "‘", "’", "《", "》", "，", "。", "、", ",", ";", "；", "|", "!", "！", "·", "`"]
    static let trailing: Set<Unicode.Scalar> = ["”", "“", "\"", "‘", "’", "《", "，", "。", "、", ",", ";", "；", "|", "`"]

    /// Both ends trimmed: leading marks in front, trailing ones behind.
    static func trimmed(_ text: String) -> String { trimmingTrailing(trimmingLeading(text)) }

    /// `text` without any of `marks` (or spaces) at either end.
    static func trimming(_ marks: Set<Unicode.Scalar>, from text: String) -> String {
        var scalars = Array(text.unicodeScalars.drop { marks.contains($0) || $0 == " " })
        while let last = scalars.last, marks.contains(last) || last == " " { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    static func trimmingLeading(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.drop { leading.contains($0) || $0 == " " }))
    }

    static func trimmingTrailing(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        while let last = scalars.last, trailing.contains(last) || last == " " { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// The ink inside a rectangle of a page image.
enum InkRegion {
    struct Box {
        var x0: Int, y0: Int, x1: Int, y1: Int
        var darkPixels: Int
        var width: Int { x1 - x0 }
        var height: Int { y1 - y0 }
    }

    struct Scanner {
        let image: GrayImage
        let threshold: UInt8

        init(image: GrayImage) {
            self.image = image
            threshold = SkewEstimator.darkThreshold(of: image)
        }

        func isDark(_ x: Int, _ y: Int) -> Bool { image.pixels[y * image.width + x] < threshold }

        /// The bounding box of the dark pixels in the rectangle, and how many there are; nil when there are none.
        func box(x0: Int, y0: Int, x1: Int, y1: Int) -> Box? {
            let left = max(0, x0), right = min(image.width, x1), top = max(0, y0), bottom = min(image.height, y1)
            guard left < right, top < bottom else { return nil }
            var box = Box(x0: right, y0: bottom, x1: left, y1: top, darkPixels: 0)
            for y in top..<bottom {
                for x in left..<right where isDark(x, y) {
                    box.darkPixels += 1
                    box.x0 = min(box.x0, x); box.x1 = max(box.x1, x + 1)
                    box.y0 = min(box.y0, y); box.y1 = max(box.y1, y + 1)
                }
            }
            return box.darkPixels > 0 ? box : nil
        }
    }
}

/// Tells a flag arrow (↑ or ↓) from other glyphs by its outline: a thin stem with a head, centred on it and much
/// wider than it, that narrows to a tip at one end and no bar at the other (`T`, `⊥`, `1`, `J`, `H` and `L` all fail
/// one of these).
enum ArrowGlyph {
    static func direction(of box: InkRegion.Box, scanner: InkRegion.Scanner) -> String? {
        let height = box.height
        guard height >= 8, Double(height) >= 1.3 * Double(box.width) else { return nil }
        // Each row's leftmost and rightmost ink.
        var spans: [(left: Int, right: Int)?] = []
        for y in box.y0..<box.y1 {
            var left: Int?, right = 0
            for x in box.x0..<box.x1 where scanner.isDark(x, y) {
                if left == nil { left = x }
                right = x
            }
            spans.append(left.map { ($0, right) })
        }
        guard spans.filter({ $0 == nil }).count <= 1 else { return nil }   // one glyph, not two stacked marks
        if isUpArrow(spans) { return "↑" }
        if isUpArrow(spans.reversed()) { return "↓" }
        return nil
    }

    /// Whether the rows (top first) draw an arrow pointing up.
    private static func isUpArrow(_ spans: [(left: Int, right: Int)?]) -> Bool {
        let rows = spans.count
        let widths = spans.map { $0.map { $0.right - $0.left + 1 } ?? 0 }
        let head = 0..<max(1, rows * 45 / 100), stem = (rows * 55 / 100)..<max(rows * 55 / 100 + 1, rows * 95 / 100)
        let stemWidths = stem.map { widths[$0] }.sorted()
        let stemWidth = max(1, stemWidths[stemWidths.count / 2])
        guard let widest = head.max(by: { widths[$0] < widths[$1] }) else { return false }
        let headWidth = widths[widest]
        let tip = widths.prefix(2).max() ?? 0
        let foot = widths[(rows * 80 / 100)...].max() ?? 0
        guard Double(headWidth) >= 2.2 * Double(stemWidth), Double(tip) <= 0.6 * Double(headWidth),
              Double(foot) <= 1.8 * Double(stemWidth) else { return false }
        // The head is centred on the stem.
        guard let headSpan = spans[widest], let stemSpan = spans[stem.lowerBound + (stem.count / 2)] else { return false }
        let headCentre = Double(headSpan.left + headSpan.right) / 2, stemCentre = Double(stemSpan.left + stemSpan.right) / 2
        return abs(headCentre - stemCentre) <= 0.2 * Double(headWidth)
    }
}
