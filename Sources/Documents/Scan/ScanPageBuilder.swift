public import Core

/// Turns what OCR recognised on a levelled page image into a ``RawPage`` in points, as a PDF library would
/// report a digital page: characters with boxes, a font size and a bold flag, plus the rules found in the image.
/// The layout analysis then treats scans and digital pages alike.
public struct ScanPageBuilder: Sendable {
    public init() {}

    /// - Parameters:
    ///   - lines: OCR lines with word boxes, in pixels of `image`.
    ///   - image: the levelled page image the boxes refer to (bold is judged from its strokes).
    ///   - resolution: pixels per inch of `image`.
    public func page(number: Int, lines recognised: [RecognizedText], image: GrayImage, resolution: Int, rules: ImageRules) -> RawPage {
        let typicalHeight = recognised.map { Double($0.height) }.median
        let lines = recognised.filter { !Self.isGraphic($0, typicalHeight: typicalHeight) }
        let scale = 72 / Double(resolution)
        let strokes = StrokeWidths(image: image)
        let wordStrokes = lines.map { $0.words.map { strokes.width(x: $0.x, y: $0.y, width: $0.width, height: $0.height) } }
        let typical = wordStrokes.joined().filter { $0 > 0 }.map { $0 }.median
        let cjkLines = Set(lines.indices.filter { lines[$0].text.unicodeScalars.contains(where: \.isWide) })
        let letters = lines.flatMap { $0.text.unicodeScalars.filter(\.properties.isAlphabetic) }
        let chinesePage = !cjkLines.isEmpty && letters.filter(\.isWide).count * 3 > letters.count
        var sizes = lines.map { line in
            fontSize(of: line, words: line.words.isEmpty ? [Self.word(of: line)] : line.words, scale: scale, ink: chinesePage ? strokes : nil)
        }
        // On a Chinese page, lines without Chinese are table values, units and codes, whose heights say little
        // about the font: they take the page's body size unless they are far off it (a heading in Latin letters).
        if chinesePage {
            let body = cjkLines.map { sizes[$0] }.median
            for index in lines.indices where !cjkLines.contains(index) && sizes[index] < 1.7 * body && sizes[index] > 0.6 * body {
                sizes[index] = body
            }
        }
        var rawLines: [RawLine] = []
        for ((line, lineStrokes), size) in zip(zip(lines, wordStrokes), sizes) {
            let words = line.words.isEmpty ? [Self.word(of: line)] : line.words
            let lineStroke = lineStrokes.filter { $0 > 0 }.median
            // A line is bold when its strokes are clearly heavier than the page's usual ones.
            let bold = typical > 0 && lineStroke > 1.18 * typical
            var characters: [RawCharacter] = []
            var previous: RecognizedWord?
            for word in words {
                if let previous, Self.needsSpace(between: previous.text, and: word.text) {
                    let gapStart = Double(previous.x + previous.width) * scale, gapEnd = Double(word.x) * scale
                    characters.append(RawCharacter(scalar: " ", box: Box(x0: gapStart, y0: Double(word.y) * scale,
                                                                       x1: max(gapStart, gapEnd), y1: Double(word.y + word.height) * scale),
                                                   size: size, bold: bold))
                }
                characters += self.characters(of: word, scale: scale, size: size, bold: bold)
                previous = word
            }
            if !characters.isEmpty { rawLines.append(RawLine(characters: characters)) }
        }
        return RawPage(number: number, width: Double(image.width) * scale, height: Double(image.height) * scale,
                       lines: rawLines, marks: rules.marks(scale: scale))
    }

    /// A few large "characters" read with little confidence are a logo, a stamp or a seal the engine took for
    /// glyphs (a hospital emblem read as 者 at 47 points): kept as text, they pass for a heading and push the running
    /// header above them out of the margin. Only lines taller than the page's usual ones go: a short word read
    /// poorly at text size (a signed name, say) stays, so that PHI detection and redaction still see it.
    ///
    /// Likewise a fragment of one or two characters read poorly and far smaller than text (a piece of that emblem
    /// read as `Ca`): it would sit between a running header and the page's first line and make the header look
    /// like part of the page.
    static func isGraphic(_ line: RecognizedText, typicalHeight: Double) -> Bool {
        let characters = line.text.unicodeScalars.filter({ !$0.properties.isWhitespace }).count
        guard line.confidence < 0.4 else { return false }
        return (characters <= 4 && Double(line.height) >= 1.4 * typicalHeight) || (characters <= 2 && Double(line.height) < 0.6 * typicalHeight)
    }

    /// A line the engine gave no words for, as one word.
    static func word(of line: RecognizedText) -> RecognizedWord {
        RecognizedWord(text: line.text, x: line.x, y: line.y, width: line.width, height: line.height, confidence: line.confidence)
    }

    /// The word's characters, its box shared out by character width (CJK one em, others about half).
    private func characters(of word: RecognizedWord, scale: Double, size: Double, bold: Bool) -> [RawCharacter] {
        let scalars = Array(word.text.unicodeScalars)
        let weights = scalars.map { $0.isWide ? 2.0 : 1.0 }
        let total = weights.reduce(0, +)
        var x = Double(word.x)
        let top = Double(word.y) * scale, bottom = Double(word.y + word.height) * scale
        return zip(scalars, weights).map { scalar, weight in
            let advance = Double(word.width) * weight / total
            defer { x += advance }
            return RawCharacter(scalar: scalar, box: Box(x0: x * scale, y0: top, x1: (x + advance) * scale, y1: bottom), size: size, bold: bold)
        }
    }

    /// Font size in points, from the heights of the line's words: a CJK glyph's ink is about 0.9 em high; a Latin
    /// word's is about 0.95 em with descenders, 0.73 em with capitals, ascenders or digits only, 0.52 em in
    /// x-height letters only. OCR boxes are noisy (a short glyph like 一, a box spilling into the next line), so
    /// the size most words agree on wins.
    ///
    /// On a Chinese page (`ink` given) a word's height is its ink, measured in the image, when that is less than its
    /// box: chi_sim's boxes of small lines come out padded (a 7-point running header boxed as 13 points), and a
    /// header taken for body text is not recognised as furniture. English pages keep the engine's boxes, which are
    /// tight already (the ratios above were set on them).
    private func fontSize(of line: RecognizedText, words: [RecognizedWord], scale: Double, ink: StrokeWidths?) -> Double {
        let estimates = words.compactMap { word -> Double? in
            let scalars = word.text.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            guard !scalars.isEmpty, word.height > 0 else { return nil }
            let inked = ink?.inkHeight(x: word.x, y: word.y, width: word.width, height: word.height) ?? word.height
            let height = Double(min(word.height, inked)) * scale
            // Brackets reach above and below CJK glyphs.
            if scalars.contains(where: \.isWide) { return height / (word.text.contains(where: { "()（）[]【】".contains($0) }) ? 1.05 : 0.9) }
            if scalars.contains(where: { "gjpqy".unicodeScalars.contains($0) }) { return height / 0.95 }
            if scalars.contains(where: { $0.properties.isUppercase || $0.properties.numericType != nil || "bdfhklt".unicodeScalars.contains($0) }) {
                return height / 0.73
            }
            return height / 0.52
        }
        let size = estimates.isEmpty ? Double(line.height) * scale : Self.consensus(estimates)
        return (size * 2).rounded() / 2
    }

    /// The value most others lie within 10 % of (the mean of that cluster; the smaller one on a tie).
    static func consensus(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        var best: (count: Int, members: ArraySlice<Double>) = (0, sorted[0...0])
        for value in sorted {
            let members = sorted.filter { abs($0 - value) <= 0.1 * value }
            if members.count > best.count { best = (members.count, members[...]) }
        }
        return best.members.reduce(0, +) / Double(best.members.count)
    }

    /// Words in Chinese text run together; Latin words and numbers are separated by spaces.
    static func needsSpace(between left: String, and right: String) -> Bool {
        guard let last = left.unicodeScalars.last, let first = right.unicodeScalars.first else { return false }
        return !last.isWide && !first.isWide
    }
}

extension RecognizedText {
    /// The line's words joined as the layout joins them (no space between CJK characters, one between Latin
    /// words); the engine's own line text when it gave no words.
    public var wordText: String {
        guard var result = words.first?.text else { return text }
        for (previous, word) in zip(words, words.dropFirst()) {
            if ScanPageBuilder.needsSpace(between: previous.text, and: word.text) { result += " " }
            result += word.text
        }
        return result
    }
}

extension Unicode.Scalar {
    /// CJK ideographs, kana, Hangul and full-width forms: characters set one em wide.
    var isWide: Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x3FFFD: true
        default: false
        }
    }
}

/// Typical stroke thickness inside a box: the median length of the dark runs across rows and down columns
/// (a run across a stroke measures its thickness; runs along a stroke are the minority). A bold face's strokes
/// are about 1.4 times a regular one's.
struct StrokeWidths {
    let image: GrayImage
    let threshold: UInt8

    init(image: GrayImage) {
        self.image = image
        self.threshold = SkewEstimator.darkThreshold(of: image)
    }

    /// Rows from the first to the last that hold ink across the box (at least 2 dark pixels, or 2 % of the box's
    /// width, so that speckle does not count); nil when the box has none.
    func inkHeight(x: Int, y: Int, width: Int, height: Int) -> Int? {
        let left = max(0, x), right = min(image.width, x + width), top = max(0, y), bottom = min(image.height, y + height)
        guard left < right, top < bottom else { return nil }
        let needed = max(2, (right - left) / 50)
        let imageWidth = image.width, threshold = threshold
        var first: Int?, last: Int?
        image.pixels.withUnsafeBufferPointer { pixels in
            for row in top..<bottom {
                var dark = 0
                for column in left..<right where pixels[row * imageWidth + column] < threshold { dark += 1 }
                if dark >= needed {
                    if first == nil { first = row }
                    last = row
                }
            }
        }
        guard let first, let last else { return nil }
        return last - first + 1
    }

    func width(x: Int, y: Int, width: Int, height: Int) -> Double {
        let left = max(0, x), right = min(image.width, x + width), top = max(0, y), bottom = min(image.height, y + height)
        guard left < right, top < bottom else { return 0 }
        var counts = [Int](repeating: 0, count: 64)
        let imageWidth = image.width, threshold = threshold
        image.pixels.withUnsafeBufferPointer { pixels in
            func count(_ length: Int) { if length > 0 { counts[min(63, length)] += 1 } }
            for row in top..<bottom {
                var run = 0
                for column in left..<right {
                    if pixels[row * imageWidth + column] < threshold { run += 1 } else { count(run); run = 0 }
                }
                count(run)
            }
            for column in left..<right {
                var run = 0
                for row in top..<bottom {
                    if pixels[row * imageWidth + column] < threshold { run += 1 } else { count(run); run = 0 }
                }
                count(run)
            }
        }
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        // Median, interpolated within its bin so that small differences between faces show.
        var seen = 0
        for (length, number) in counts.enumerated() where number > 0 {
            if 2 * (seen + number) >= total { return Double(length) - 0.5 + (Double(total) / 2 - Double(seen)) / Double(number) }
            seen += number
        }
        return 0
    }
}
