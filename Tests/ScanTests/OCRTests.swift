import Core
import Documents
import DocumentsTesseract
import Foundation
import Testing
import Workflows

enum DocumentConversionFixture {
    static let conversion = DocumentConversion(readers: ScanFixtures.readers, formats: [.json])
}

@Suite("OCR of rendered pages", .serialized)
struct OCRTests {
    @Test("A rendered report page reads back its labels and numbers, with word boxes where the text layer has them")
    func renderedPage() throws {
        let resolution = 200
        let page = try ScanFixtures.render("d001.pdf", resolution: resolution)
        let scanned = try PageOCR(engine: ScanFixtures.engine).read(page, page: 1, resolution: resolution)
        let text = ScanFixtures.squeezed(scanned.layer.lines.map(\.text).joined(separator: "\n"))
        for expected in ["住院号", "86778051", "360501200507303660", "出院小结", "神经内科"] {
            #expect(text.contains(expected), "\(expected)")
        }
        let word = try #require(scanned.layer.lines.flatMap(\.words).first { $0.text.contains("86778051") })
        let truth = try #require(try ScanFixtures.textBox(of: "86778051", in: "d001.pdf"))
        let scale = Double(resolution) / 72
        #expect(abs(Double(word.x) - truth.x0 * scale) <= 6)
        #expect(abs(Double(word.x + word.width) - truth.x1 * scale) <= 6)
        #expect(abs(Double(word.y + word.height / 2) - truth.midY * scale) <= 6)
        #expect(scanned.layer.lines.allSatisfy { (0...1).contains($0.confidence) })
    }

    @Test("Ruled table cells the page reading skips are read one by one, and flag arrows are told by their shape")
    func ruledLabTable() throws {
        // A scanned liver and kidney panel: two ruled tables side by side, a narrow results column, ↑ and ↓ flags.
        let words = try Self.words(readFrom: "d016.scan.pdf")
        for value in ["75.0", "49.3", "48.4", "22.0", "4.3", "12.00", "5.74"] { #expect(words.contains(value), "\(value)") }
        #expect(words.filter { $0 == "↑" }.count == 5 && words.filter { $0 == "↓" }.count == 2, "\(words.filter { $0 == "↑" || $0 == "↓" })")
    }

    @Test("Lab values whose decimal point the Chinese model drops are read with it")
    func decimalPoints() throws {
        // d036: the Chinese model reads CRP 9.2 as 92 and the bilirubin range 3.4-20.5 as 3.4-205.
        let words = try Self.words(readFrom: "d036.scan.pdf")
        #expect(words.contains("9.2") && !words.contains("92"))
        #expect(words.contains("3.4-20.5") && !words.contains("3.4-205"))
    }

    @Test("Units and values the Chinese model reads as stray glyphs are read again with the English model")
    func unsureShortWords() throws {
        // d033: MCHC's unit g/L comes out of the page reading as `路`, HCT's % as `%%` and MPV's 8.7 as `8X`.
        let words = try Self.words(readFrom: "d033.scan.pdf")
        #expect(words.contains("8.7") && !words.contains("8X"))
        #expect(!words.contains("路") && !words.contains("%%"))
        #expect(words.filter { $0 == "g/L" }.count >= 1)
    }

    @Test("A table column the page layout skips as noise is found as unread ink and read on its own")
    func skippedColumn() throws {
        // d033 at its scan's 200 dpi: Tesseract's layout drops the left table's results column (7.53, 90.8, 2.96, …).
        let page = try ScanFixtures.render("d033.scan.pdf", resolution: 200)
        var ocr = PageOCR(engine: ScanFixtures.engine)
        ocr.enlargesSmallPrint = false
        let words = try ocr.read(page, page: 1, resolution: 200).layer.lines.flatMap(\.words).map(\.text)
        #expect(words.contains("7.53") && words.contains("90.8") && words.contains("2.96"))
        // Read once, not again from the edges of the words around it.
        #expect(words.filter { $0 == "7.53" }.count == 1)
    }

    @Test("Small print is measured from the ink and read enlarged, its OCR layer still in the page image's pixels")
    func smallPrint() throws {
        let small = try ScanFixtures.render("d033.scan.pdf", resolution: 200)
        let regular = try ScanFixtures.render("d001.scan.pdf", resolution: 200)
        let smallSize = try #require(TextHeight.points(of: small, resolution: 200))
        let regularSize = try #require(TextHeight.points(of: regular, resolution: 200))
        #expect(smallSize < PageOCR.smallPrintPoints && regularSize > PageOCR.smallPrintPoints + 0.5)
        let layer = try PageOCR(engine: ScanFixtures.engine).read(small, page: 1, resolution: 200).layer
        #expect(layer.width == small.width && layer.height == small.height && layer.resolution == 200)
        // Read enlarged, the left table's values come out whole (at 200 dpi: `93`, `40`, and 0.4 and 4.34 missing).
        let words = layer.lines.flatMap(\.words).map(\.text)
        #expect(["9.3", "4.0", "2.5", "0.4", "4.34", "2.96"].allSatisfy(words.contains), "\(words)")
        // The signature line sits in the lower right of the page (at 200 dpi about x 1090, y 1260).
        let signature = try #require(layer.lines.first { ScanFixtures.squeezed($0.text).contains("检验者") })
        #expect(abs(signature.x - 1090) < 60 && abs(signature.y - 1260) < 60, "\(signature)")
    }

    @Test("At 200 dpi a line read unsure (a bold heading) is read again enlarged, and stays where it was")
    func weakLinesAtLowResolution() throws {
        // d002's second page at its scan's own 200 dpi: the heading 二、备注 comes out of the page reading as
        // `ER全注`, with a confidence of 0.1.
        let resolution = 200
        let page = try ScanFixtures.render("d002.scan.pdf", page: 2, resolution: resolution)
        let lines = try PageOCR(engine: ScanFixtures.engine).read(page, page: 2, resolution: resolution).layer.lines
        let heading = try #require(lines.first { ScanFixtures.squeezed($0.text).contains("备注") })
        #expect(heading.confidence >= 0.6)
        // Where the page reading found it (levelled page, about 1138–1173 px down, 158–301 px across).
        #expect(abs(heading.y - 1140) <= 25 && heading.x < 320 && heading.x + heading.width > 200)
    }

    /// The words of a dev document's first page, rendered and read at 300 dpi.
    private static func words(readFrom name: String) throws -> [String] {
        let page = try ScanFixtures.render(name, resolution: 300)
        return try PageOCR(engine: ScanFixtures.engine).read(page, page: 1, resolution: 300).layer.lines.flatMap(\.words).map(\.text)
    }

    @Test("A turned page is read upright and levelled, and its boxes are given on the page as scanned")
    func turnedPage() throws {
        let resolution = 200
        let level = try ScanFixtures.render("d001.pdf", resolution: resolution)
        let scanned = try PageOCR(engine: ScanFixtures.engine).read(level.rotated(by: 1.2), page: 1, resolution: resolution)
        #expect(abs(scanned.layer.skew - 1.2) <= 0.2)
        let word = try #require(scanned.layer.lines.flatMap(\.words).first { $0.text.contains("86778051") })
        // Where the number's centre lands when the page is turned by 1.2° about its centre.
        let truth = try #require(try ScanFixtures.textBox(of: "86778051", in: "d001.pdf"))
        let scale = Double(resolution) / 72, radians = 1.2 * .pi / 180
        let cx = Double(level.width - 1) / 2, cy = Double(level.height - 1) / 2
        let dx = truth.midX * scale - cx, dy = truth.midY * scale - cy
        let expectedX = cx + dx * cos(radians) - dy * sin(radians), expectedY = cy + dx * sin(radians) + dy * cos(radians)
        #expect(abs(Double(word.x + word.width / 2) - expectedX) <= 8)
        #expect(abs(Double(word.y + word.height / 2) - expectedY) <= 8)
    }

    /// d031 rendered at 200 dpi and read as it is, once for all the turned-page cases.
    private static let uprightLabReport = Result { () throws -> (GrayImage, ScannedPage) in
        let page = try ScanFixtures.render("d031.pdf", resolution: 200)
        return (page, try PageOCR(engine: ScanFixtures.engine).read(page, page: 1, resolution: 200))
    }

    @Test("A page scanned turned a quarter, half or three quarters clockwise is read upright, boxes on the turned image",
          arguments: [1, 2, 3])
    func turnedPage(quarterTurns: Int) throws {
        let (upright, uprightRead) = try Self.uprightLabReport.get()
        let resolution = uprightRead.layer.resolution
        let scanned = try PageOCR(engine: ScanFixtures.engine).read(upright.rotated(quarterTurns: quarterTurns), page: 1,
                                                                    resolution: resolution)
        #expect(scanned.layer.rotation == quarterTurns * 90)
        let text = scanned.layer.lines.map(\.text).joined(separator: " ")
        #expect(text.contains("Laboratory Report") && text.contains("General Hospital"))

        // The word's box on the turned image is its box on the upright page, turned the same way.
        func box(of word: String, in page: ScannedPage) -> RecognizedWord? {
            page.layer.lines.flatMap(\.words).first { $0.text.contains(word) }
        }
        let expected = try #require(box(of: "Laboratory", in: uprightRead))
        let found = try #require(box(of: "Laboratory", in: scanned))
        let (w, h) = (upright.width, upright.height)
        let (x0, y0, x1, y1) = (expected.x, expected.y, expected.x + expected.width, expected.y + expected.height)
        let turned: (Int, Int, Int, Int) = switch quarterTurns {
        case 1: (h - y1, x0, h - y0, x1)
        case 2: (w - x1, h - y1, w - x0, h - y0)
        default: (y0, w - x1, y1, w - x0)
        }
        let tolerance = 6
        #expect(abs(found.x - turned.0) <= tolerance && abs(found.y - turned.1) <= tolerance)
        #expect(abs(found.x + found.width - turned.2) <= tolerance && abs(found.y + found.height - turned.3) <= tolerance)
    }

    @Test("Images decode with Leptonica: PNG round trip, multi-page TIFF, and clear refusals")
    func images() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medlocal-img-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var image = GrayImage(width: 64, height: 32)
        image.fill(x0: 10, y0: 10, x1: 20, y1: 20, with: 0)
        let png = folder.appendingPathComponent("a.png").path
        try LeptonicaImageWriter().writePNG(image, to: png)
        let decoder = LeptonicaImageDecoder()
        #expect(try decoder.pageCount(of: png) == 1)
        #expect(try decoder.decodePage(0, of: png).image == image)
        // Two pages of TIFF from the PNG, written through the redaction writer (no boxes).
        let tiff = folder.appendingPathComponent("b.tif").path
        try LeptonicaImageWriter().writeRedacted(png, rects: [0: [PixelRect(x0: 0, y0: 0, x1: 4, y1: 4)]], to: tiff)
        #expect(try decoder.pageCount(of: tiff) == 1)
        #expect(try decoder.decodePage(0, of: tiff).image[1, 1] == 0)
        // A text file, a truncated PNG, and a PNG header claiming 60 000 × 60 000 pixels.
        let text = folder.appendingPathComponent("c.png").path
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: ImageDecodingError.self) { try decoder.decodePage(0, of: text) }
        let full = try Data(contentsOf: URL(fileURLWithPath: png))
        let cut = folder.appendingPathComponent("d.png").path
        try full.prefix(40).write(to: URL(fileURLWithPath: cut))
        #expect(throws: (any Error).self) { try decoder.decodePage(0, of: cut) }
        var huge = full
        huge.replaceSubrange(16..<24, with: [0x00, 0x00, 0xEA, 0x60, 0x00, 0x00, 0xEA, 0x60])
        let bomb = folder.appendingPathComponent("e.png").path
        try huge.write(to: URL(fileURLWithPath: bomb))
        do {
            _ = try decoder.decodePage(0, of: bomb)
            Issue.record("a 3.6-gigapixel PNG was decoded")
        } catch let error as ImageDecodingError {
            #expect(error.reason == .tooLarge)
            #expect(error.message.contains("60000 × 60000"))
        }
    }
}
