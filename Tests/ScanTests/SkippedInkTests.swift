import Core
@testable import Documents
import Testing

@Suite("Ink the page reading skipped")
struct SkippedInkTests {
    /// A white page with "text" (rows of short strokes, like glyphs) in the box given.
    static func page(text boxes: [(x: Int, y: Int, width: Int, height: Int)], size: Int = 1000) -> GrayImage {
        var page = GrayImage(width: size, height: size, fill: 255)
        for box in boxes {
            for x in stride(from: box.x, to: box.x + box.width, by: 6) {
                for y in box.y..<(box.y + box.height) { page[x, y] = 0; page[x + 1, y] = 0 }
            }
        }
        return page
    }

    static func line(x: Int, y: Int, width: Int, height: Int) -> RecognizedText {
        RecognizedText(text: "read", x: x, y: y, width: width, height: height, confidence: 0.9,
                       words: [RecognizedWord(text: "read", x: x, y: y, width: width, height: height, confidence: 0.9)])
    }

    @Test("Ink no word covers is one region per piece of text; covered ink, specks and rule remnants are none")
    func regions() {
        var page = Self.page(text: [(100, 100, 300, 20), (100, 200, 60, 20), (100, 250, 60, 20), (600, 600, 200, 20)])
        page[900, 900] = 0                                       // a speck
        for y in 700..<800 { page[50, y] = 0; page[51, y] = 0 }   // what erasing a rule left
        let lines = [Self.line(x: 100, y: 100, width: 300, height: 20), Self.line(x: 600, y: 600, width: 200, height: 20)]
        let regions = SkippedInk.regions(in: page, reading: lines, resolution: 200)
        // The two values two lines apart in one column are one region (read together, as a column).
        #expect(regions.count == 1)
        #expect(regions.first.map { $0.x0 <= 100 && $0.x1 >= 160 && $0.y0 <= 200 && $0.y1 >= 270 } == true)
        #expect(SkippedInk.regions(in: page, reading: lines + [Self.line(x: 100, y: 200, width: 60, height: 70)], resolution: 200).isEmpty)
    }

    @Test("Black boxes (a redacted copy) are not skipped text, and do not crowd out a skipped column")
    func blackBoxes() {
        var page = Self.page(text: [(100, 200, 60, 20), (100, 250, 60, 20)])
        for index in 0..<15 {   // more boxes than a page's skipped regions may number
            for y in (402 + index * 30)..<(423 + index * 30) { for x in 303..<502 { page[x, y] = 0 } }   // off the grid
        }
        let regions = SkippedInk.regions(in: page, reading: [], resolution: 200)
        #expect(regions.count == 1 && regions.first.map { $0.x1 <= 200 } == true)
    }

    @Test("A picture-sized region of ink is not read as skipped text")
    func pictures() {
        let picture = Self.page(text: (0..<20).map { (200, 200 + $0 * 20, 400, 12) })   // 400 × 400 px at 200 dpi
        #expect(SkippedInk.regions(in: picture, reading: [], resolution: 200).isEmpty)
    }
}
