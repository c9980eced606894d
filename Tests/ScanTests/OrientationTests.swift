import Core
@testable import Documents
import DocumentsTesseract
import Testing

@Suite("Which way up a scanned page is")
struct OrientationTests {
    static let finder = PageOrientationFinder(engine: ScanFixtures.engine, languages: [.zh, .en])

    @Test("An upright page is settled by reading a square of it, which also names its script",
          arguments: [("d001.scan.pdf", Language.zh), ("d004.scan.pdf", .en)])
    func uprightBySample(document: String, script: Language) throws {
        let page = try ScanFixtures.render(document, resolution: 200)
        let found = try #require(try Self.finder.uprightBySample(of: page, resolution: 200))
        #expect(found == PageOrientation(rotation: 0, script: script))
    }

    @Test("A square of a turned page does not read upright; the engine's detection finds the turn, the square the script",
          arguments: [1, 2, 3])
    func turnedPage(quarterTurns: Int) throws {
        // English upside down is the turned text the Chinese model reads surest.
        let turned = try ScanFixtures.render("d004.scan.pdf", resolution: 200).rotated(quarterTurns: quarterTurns)
        #expect(try Self.finder.uprightBySample(of: turned, resolution: 200) == nil)
        #expect(try Self.finder.detected(in: turned, resolution: 200) == PageOrientation(rotation: quarterTurns * 90, script: .en))
    }

    @Test("A square's script: Chinese when a quarter or more of its letters are Han, English when hardly any are")
    func script() {
        func reading(_ text: String) -> SampleReading { SampleReading([RecognizedText(text: text, x: 0, y: 0, width: 1, height: 1, confidence: 0.9)]) }
        #expect(reading("白细胞计数 WBC 6.2 红细胞 RBC 4.5").script == .zh)
        // Mostly abbreviations: unsure, so the whole page's reading decides.
        #expect(reading("血常规 WBC 6.2 RBC 4.5 HGB 135 PLT").script == nil)
        #expect(reading("Haemoglobin 135 g/L Platelets 250 White cells 6.2").script == .en)
        // A few Han glyphs the Chinese model finds in Latin print do not make it Chinese.
        #expect(reading("Haemoglobin 135 g/L 口 Platelets 250 White cells").script == .en)
        #expect(reading("12.5 3.4-20.5 mmol").script == nil)   // too few letters to tell
        #expect(reading("").confidence == 0)
    }

    @Test("The square sampled is the one with text, not a blank margin or a black box")
    func sampleSquare() throws {
        var page = GrayImage(width: 800, height: 800, fill: 255)
        for y in 100..<300 { for x in 100..<300 { page[x, y] = 0 } }   // a black box: ink, but no strokes
        for line in 0..<8 {                                              // lines of "text": short strokes
            for x in stride(from: 450, to: 750, by: 6) {
                for y in (480 + line * 30)..<(492 + line * 30) { page[x, y] = 0; page[x + 1, y] = 0 }
            }
        }
        let square = try #require(SampleSquare.inkiest(in: page, side: 200))
        #expect(square.width == 200 && square.height == 200)
        let ink = square.pixels.count { $0 == 0 }
        #expect(ink > 200 * 200 / 10 && ink < 200 * 200 / 2, "the square holds strokes, not the box (\(ink) dark pixels)")
        #expect(SampleSquare.inkiest(in: GrayImage(width: 800, height: 800, fill: 255), side: 200) == nil)
    }
}

@Suite("The resolution a scanned page is read at")
struct ScanResolutionTests {
    static let ocr = PageOCR(engine: ScanFixtures.engine)
    static let a4 = (width: 595.0, height: 842.0)

    static func scan(_ pixelWidth: Int, _ pixelHeight: Int, box: Box = Box(x0: 0, y0: 0, x1: 595, y1: 842)) -> RawImage {
        RawImage(box: box, pixelWidth: pixelWidth, pixelHeight: pixelHeight)
    }

    @Test("A scan is read at its own resolution, kept within 200–300 dpi",
          arguments: [(1654, 2339, 200), (2480, 3508, 300), (1240, 1754, 200), (4960, 7016, 300), (1984, 2806, 240)])
    func ownResolution(pixelWidth: Int, pixelHeight: Int, expected: Int) {
        #expect(Self.ocr.resolution(width: Self.a4.width, height: Self.a4.height, images: [Self.scan(pixelWidth, pixelHeight)]) == expected)
    }

    @Test("A scan placed turned a quarter measures the same; figures, unknown sizes and a set resolution do not count")
    func otherPages() {
        #expect(Self.ocr.resolution(width: 842, height: 595, images: [Self.scan(1654, 2339, box: Box(x0: 0, y0: 0, x1: 842, y1: 595))]) == 200)
        let figure = Self.scan(3000, 3000, box: Box(x0: 100, y0: 100, x1: 200, y1: 200))
        #expect(Self.ocr.resolution(width: Self.a4.width, height: Self.a4.height, images: [figure]) == PageOCR.defaultResolution)
        #expect(Self.ocr.resolution(width: Self.a4.width, height: Self.a4.height, images: [RawImage(box: Box(x0: 0, y0: 0, x1: 595, y1: 842))])
                == PageOCR.defaultResolution)
        let fixed = PageOCR(engine: ScanFixtures.engine, renderResolution: 250)
        #expect(fixed.resolution(width: Self.a4.width, height: Self.a4.height, images: [Self.scan(1654, 2339)]) == 250)
    }
}
