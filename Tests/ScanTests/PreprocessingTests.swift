import Core
@testable import Documents
import Testing
import Workflows

@Suite("Scan preprocessing")
struct PreprocessingTests {
    @Test("Deskew recovers the angle of a turned page within 0.2°", arguments: [-3.0, -1.1, -0.4, 0.3, 0.8, 1.5, 2.7])
    func deskew(angle: Double) throws {
        let page = try ScanFixtures.render("d001.pdf", resolution: 100)
        let estimate = SkewEstimator.angle(of: page.rotated(by: angle))
        #expect(abs(estimate - angle) <= 0.2, "estimated \(estimate)° for \(angle)°")
    }

    @Test("A level page measures level, and a blank or all-black one reports 0 instead of a guess")
    func levelAndBlank() throws {
        let page = try ScanFixtures.render("d003.pdf", resolution: 100)
        #expect(abs(SkewEstimator.angle(of: page)) <= 0.1)
        #expect(SkewEstimator.angle(of: GrayImage(width: 400, height: 300)) == 0)
        #expect(SkewEstimator.angle(of: GrayImage(width: 400, height: 300, fill: 0)) == 0)
    }

    @Test("A skewed page's level black boxes (a redacted copy) do not level it wrongly")
    func skewUnderBlackBoxes() throws {
        var page = try ScanFixtures.render("d001.pdf", resolution: 100).rotated(by: 1.2)
        for row in 0..<6 {   // level boxes, as redaction paints them over a skewed scan
            let y = 150 + row * 120
            page.fill(x0: 100, y0: y, x1: 700, y1: y + 14, with: 0)
        }
        #expect(abs(SkewEstimator.angle(of: page.erasingSolidAreas(window: 5)) - 1.2) <= 0.2)
        #expect(abs(SkewEstimator.angle(of: page) - 1.2) > 0.2, "the boxes alone would pull the estimate level")
    }

    @Test("Black boxes are painted out before reading; bold strokes and white text on a dark band are kept")
    func blackBoxes() {
        var page = GrayImage(width: 400, height: 300)
        page.fill(x0: 23, y0: 31, x1: 141, y1: 57, with: 0)      // a redaction box
        page.fill(x0: 200, y0: 30, x1: 210, y1: 90, with: 0)     // a bold stem: 10 px thick
        page.fill(x0: 20, y0: 150, x1: 380, y1: 200, with: 0)    // a dark band with white letters in it
        for x in stride(from: 40, to: 360, by: 14) { page.fill(x0: x, y0: 160, x1: x + 4, y1: 190, with: 255) }
        let cleaned = page.erasingBlackBoxes(window: 8)
        #expect((23..<141).allSatisfy { cleaned[$0, 44] == 255 } && cleaned[22, 30] == 255)
        #expect(cleaned[205, 60] == 0)
        #expect(cleaned[30, 175] == 0 && cleaned[42, 175] == 255)
    }

    @Test("Quarter turns are exact and undo each other")
    func quarterTurns() {
        var image = GrayImage(width: 3, height: 2)
        image[0, 0] = 0
        image[2, 1] = 7
        let turned = image.rotated(quarterTurns: 1)
        #expect(turned.width == 2 && turned.height == 3)
        #expect(turned[1, 0] == 0)   // the top-left corner goes to the top-right
        #expect(turned.rotated(quarterTurns: 3) == image)
        #expect(image.rotated(quarterTurns: 2).rotated(quarterTurns: 2) == image)
    }

    @Test("Enlarging interpolates between pixels, keeps flat areas flat and reaches the new size")
    func enlarging() {
        let image = GrayImage(width: 2, height: 1, pixels: [0, 200])
        let twice = image.enlarged(by: 2)
        #expect(twice.width == 4 && twice.height == 2)
        // Pixel centres 0.25 and 0.75 of the way fall between the two source pixels; the ends hold their value.
        #expect(twice.pixels == [0, 50, 150, 200, 0, 50, 150, 200])
        let flat = GrayImage(width: 7, height: 5, pixels: [UInt8](repeating: 131, count: 35)).enlarged(by: 1.5)
        #expect(flat.width == 11 && flat.height == 8 && flat.pixels.allSatisfy { $0 == 131 })
    }

    @Test("The median filter removes isolated specks and keeps strokes")
    func median() {
        var image = GrayImage(width: 20, height: 20)
        image[5, 5] = 0                                          // a speck
        image.fill(x0: 10, y0: 2, x1: 13, y1: 18, with: 0)       // a 3-pixel stroke
        let filtered = image.medianFiltered()
        #expect(filtered[5, 5] == 255)
        #expect(filtered[11, 10] == 0)
    }

    @Test("The median filter gives every interior pixel its neighbourhood's median, sixteen at a time or one by one")
    func medianIsExact() {
        // 53 wide: three sixteen-pixel runs and a remainder on every row; borders are kept as they are.
        var state: UInt32 = 12345
        let pixels = (0..<(53 * 7)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        let image = GrayImage(width: 53, height: 7, pixels: pixels)
        var expected = pixels
        for y in 1..<6 {
            for x in 1..<52 {
                let around = (-1...1).flatMap { dy in (-1...1).map { dx in pixels[(y + dy) * 53 + x + dx] } }
                expected[y * 53 + x] = around.sorted()[4]
            }
        }
        #expect(image.medianFiltered(sixteenAtATime: true).pixels == expected)
        #expect(image.medianFiltered(sixteenAtATime: false).pixels == expected)
    }

    @Test("Solid dark areas are erased and text strokes are not")
    func solidAreas() throws {
        var page = try ScanFixtures.render("d001.pdf", resolution: 150)
        let inkBefore = page.pixels.filter { $0 < 128 }.count
        page.fill(x0: 300, y0: 900, x1: 500, y1: 940, with: 0)   // a redaction box
        let erased = page.erasingSolidAreas(window: 6)
        #expect(erased[400, 920] == 255)
        let inkAfter = erased.pixels.filter { $0 < 128 }.count
        // The box is gone, and most of the page's own ink is still there (only the filled logo may go).
        #expect(inkAfter < inkBefore)
        #expect(Double(inkAfter) > 0.8 * Double(inkBefore))
    }
}

@Suite("Ruling lines in page images")
struct ImageRulesTests {
    @Test("A drawn grid gives its horizontal and vertical rules; text and specks give none")
    func grid() {
        var image = GrayImage(width: 800, height: 600)
        for y in [100, 160, 220, 280, 340] { image.fill(x0: 80, y0: y, x1: 720, y1: y + 2, with: 20) }
        for x in [80, 300, 500, 718] { image.fill(x0: x, y0: 100, x1: x + 2, y1: 342, with: 20) }
        // "Text": short strokes between the rules, and specks.
        for row in 0..<4 {
            for column in stride(from: 100, to: 700, by: 14) { image.fill(x0: column, y0: 120 + row * 60, x1: column + 8, y1: 140 + row * 60, with: 30) }
        }
        for index in 0..<200 { image[(index * 37) % 800, (index * 91) % 600] = 0 }
        let rules = ImageRules.find(in: image)
        let horizontal = rules.rules.filter(\.isHorizontal), vertical = rules.rules.filter { !$0.isHorizontal }
        #expect(horizontal.count == 5)
        #expect(vertical.count == 4)
        #expect(horizontal.allSatisfy { $0.x0 <= 82 && $0.x1 >= 718 })
        // As marks, in points at 72 dpi, they are thin strokes the table detector takes as rules.
        let marks = rules.marks(scale: 1)
        #expect(marks.allSatisfy { $0.kind == .stroke && min($0.box.width, $0.box.height) < 1.5 })
        // Erased, they are gone and the text is not.
        let erased = rules.erased(from: image)
        #expect(erased[200, 101] == 255 && erased[101, 125] == 30)
    }

    @Test("A scanned lab report's grid becomes a table with its columns")
    func scannedGridTable() throws {
        let conversion = DocumentConversionFixture.conversion
        let document = try conversion.read(ScanFixtures.path("d002.scan.pdf"), displayName: "d002.scan.pdf")
        let table = try #require(document.tables.first)
        #expect(table.header.count == 5)
        #expect(table.rows.count >= 10)
        #expect(document.pages.allSatisfy { $0.needsOCR })
    }
}
