import Core
@testable import Documents
import Testing

@Suite("Ruled cells and flag glyphs on scanned pages")
struct TableCellRepairTests {
    typealias Rule = ImageRules.Rule

    @Test("A grid of rules gives its cells row by row; a rule broken into pieces does not split or lose a row")
    func cellsOfARuledGrid() {
        // Two rows, three columns: x 100 | 200 | 300 | 400, y 50 / 90 / 130; the middle rule is also found in two pieces.
        var rules = [50, 90, 130].map { Rule(x0: 100, y0: $0, x1: 403, y1: $0 + 3) }
        rules += [100, 200, 300, 400].map { Rule(x0: $0, y0: 50, x1: $0 + 3, y1: 133) }
        rules += [Rule(x0: 210, y0: 90, x1: 290, y1: 91), Rule(x0: 310, y0: 91, x1: 380, y1: 92)]
        let cells = ImageRules(rules: rules).cells(maximumRowHeight: 60)
        #expect(cells == [
            RuledCell(x0: 103, y0: 53, x1: 200, y1: 90), RuledCell(x0: 203, y0: 53, x1: 300, y1: 90), RuledCell(x0: 303, y0: 53, x1: 400, y1: 90),
            RuledCell(x0: 103, y0: 93, x1: 200, y1: 130), RuledCell(x0: 203, y0: 93, x1: 300, y1: 130), RuledCell(x0: 303, y0: 93, x1: 400, y1: 130),
        ])
        // A box around a paragraph (one tall band) and rules with no column rules give no cells.
        #expect(ImageRules(rules: rules).cells(maximumRowHeight: 30).isEmpty)
        #expect(ImageRules(rules: [50, 90].map { Rule(x0: 100, y0: $0, x1: 403, y1: $0 + 3) }).cells(maximumRowHeight: 60).isEmpty)
    }

    /// A 40 × 60 white image with `strokes` (x0, y0, x1, y1) painted black.
    func glyph(_ strokes: [(Int, Int, Int, Int)]) -> GrayImage {
        var image = GrayImage(width: 40, height: 60)
        for (x0, y0, x1, y1) in strokes { image.fill(x0: x0, y0: y0, x1: x1, y1: y1, with: 0) }
        return image
    }

    /// An arrow 30 px tall: a head widening from a 2 px tip to 16 px over 10 rows, then a 3 px stem.
    func arrow(up: Bool) -> GrayImage {
        var strokes: [(Int, Int, Int, Int)] = (0..<10).map { row in
            let half = 1 + row * 7 / 9
            let y = up ? 15 + row : 44 - row
            return (20 - half, y, 20 + half, y + 1)
        }
        strokes.append(up ? (19, 25, 22, 45) : (19, 15, 22, 35))
        return glyph(strokes)
    }

    func direction(_ image: GrayImage) -> String? {
        let scanner = InkRegion.Scanner(image: image)
        return scanner.box(x0: 0, y0: 0, x1: image.width, y1: image.height).flatMap { ArrowGlyph.direction(of: $0, scanner: scanner) }
    }

    @Test func arrowsAreToldByTheirShape() {
        #expect(direction(arrow(up: true)) == "↑")
        #expect(direction(arrow(up: false)) == "↓")
    }

    @Test("T, 1, H, L and a plain bar are not arrows")
    func lookalikesAreNotArrows() {
        #expect(direction(glyph([(10, 15, 30, 18), (19, 15, 22, 45)])) == nil)                       // T: the top row is the widest
        #expect(direction(glyph([(19, 15, 22, 45), (14, 17, 19, 20), (14, 42, 27, 45)])) == nil)     // 1: a flag to one side, a foot
        #expect(direction(glyph([(12, 15, 15, 45), (25, 15, 28, 45), (12, 29, 28, 32)])) == nil)     // H
        #expect(direction(glyph([(12, 15, 15, 45), (12, 42, 28, 45)])) == nil)                       // L
        #expect(direction(glyph([(19, 15, 22, 45)])) == nil)                                         // |
    }

    @Test("A one-character word standing alone whose ink is an arrow becomes the arrow; a word inside a phrase stays")
    func arrowsStandingAlone() {
        var image = GrayImage(width: 200, height: 60)
        let up = arrow(up: true)
        for y in 0..<up.height { for x in 0..<up.width { image[120 + x, y] = min(image[120 + x, y], up[x, y]) } }
        func word(_ text: String, _ x: Int, _ width: Int) -> RecognizedWord {
            RecognizedWord(text: text, x: x, y: 15, width: width, height: 30, confidence: 0.6)
        }
        let apart = RecognizedText(text: "5.74 个", x: 10, y: 15, width: 165, height: 30, confidence: 0.6, words: [word("5.74", 10, 40), word("个", 135, 12)])
        let repaired = TableCellRepair.arrowsStandingAlone(in: [apart], ink: InkRegion.Scanner(image: image))
        #expect(repaired.first?.words.map(\.text) == ["5.74", "↑"])
        let phrase = RecognizedText(text: "一个", x: 118, y: 15, width: 30, height: 30, confidence: 0.6, words: [word("一", 118, 14), word("个", 135, 12)])
        #expect(TableCellRepair.arrowsStandingAlone(in: [phrase], ink: InkRegion.Scanner(image: image)).first?.words.map(\.text) == ["一", "个"])
    }

    @Test("A closing quote or comma in front of a word standing apart is a speck; inside a sentence it stays")
    func strayMarks() {
        func word(_ text: String, _ x: Int) -> RecognizedWord { RecognizedWord(text: text, x: x, y: 0, width: 40, height: 20, confidence: 0.8) }
        let heading = RecognizedText(text: "项目 ”单位", x: 0, y: 0, width: 240, height: 20, confidence: 0.8, words: [word("项目", 0), word("”单位", 200)])
        #expect(StrayMarks.tidy(heading).words.map(\.text) == ["项目", "单位"])
        let sentence = RecognizedText(text: "患者，女", x: 0, y: 0, width: 82, height: 20, confidence: 0.8, words: [word("患者", 0), word("，女", 42)])
        #expect(StrayMarks.tidy(sentence).words.map(\.text) == ["患者", "，女"])
        #expect(StrayMarks.trimmingLeading("”0.000-0.040") == "0.000-0.040" && StrayMarks.trimmingTrailing("208，") == "208")
    }
}
