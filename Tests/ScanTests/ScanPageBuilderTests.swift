import Core
import Documents
import Testing

/// How recognised lines become a page: sizes from ink on Chinese pages, and graphics read as glyphs left out.
@Suite("Scan page building")
struct ScanPageBuilderTests {
    /// A white 300-dpi page with solid black where each line's ink is.
    static func page(ink: [(x: Int, y: Int, width: Int, height: Int)]) -> GrayImage {
        var image = GrayImage(width: 1800, height: 1400)
        for bar in ink {
            for row in bar.y..<bar.y + bar.height { for column in bar.x..<bar.x + bar.width { image.pixels[row * image.width + column] = 0 } }
        }
        image.pixels[5 * image.width + 5] = 0   // a speck of dust
        return image
    }

    /// One line with one word per two characters, all sharing the line's box.
    static func line(_ text: String, x: Int, y: Int, width: Int, height: Int, confidence: Double = 0.95) -> RecognizedText {
        RecognizedText(text: text, x: x, y: y, width: width, height: height, confidence: confidence,
                       words: [RecognizedWord(text: text, x: x, y: y, width: width, height: height, confidence: confidence)])
    }

    static func text(_ page: RawPage) -> [String] { page.lines.map { String(String.UnicodeScalarView($0.characters.map(\.scalar))) } }

    @Test("On a Chinese page a padded box is sized by its ink: a small running header measures smaller than the body")
    func inkSizesPaddedBoxes() {
        let body = (0..<4).map { Self.line("姓名张三住院号一二三", x: 100, y: 300 + $0 * 80, width: 600, height: 42) }
        // The header's ink is 25 px tall, its box 60 px (as chi_sim pads small lines).
        let header = Self.line("某市第一人民医院电子病历系统", x: 100, y: 60, width: 500, height: 60)
        let image = Self.page(ink: [(100, 78, 500, 25)] + (0..<4).map { (100, 300 + $0 * 80, 600, 42) })
        let page = ScanPageBuilder().page(number: 1, lines: [header] + body, image: image, resolution: 300, rules: ImageRules.find(in: GrayImage(width: 100, height: 100)))
        let headerSize = page.lines[0].characters[0].size, bodySize = page.lines[1].characters[0].size
        #expect(headerSize < bodySize * 0.7, "header \(headerSize) pt, body \(bodySize) pt")
        #expect(abs(headerSize - 25.0 * 72 / 300 / 0.9) < 0.5)
    }

    @Test("Large glyphs and tiny fragments read with little confidence are a graphic and left out; a word read poorly at text size stays")
    func graphicsAreNotText() {
        let body = (0..<4).map { Self.line("检验结果正常范围内", x: 100, y: 400 + $0 * 80, width: 600, height: 42) }
        let emblem = Self.line("者", x: 100, y: 120, width: 180, height: 180, confidence: 0.18)
        let fragment = Self.line("Ca", x: 130, y: 310, width: 60, height: 15, confidence: 0.3)   // a piece of the emblem's outline
        let signature = Self.line("王帅", x: 1200, y: 800, width: 90, height: 44, confidence: 0.3)
        let image = Self.page(ink: [(100, 120, 180, 180), (130, 310, 60, 15), (1200, 800, 90, 44)] + (0..<4).map { (100, 400 + $0 * 80, 600, 42) })
        let page = ScanPageBuilder().page(number: 1, lines: [emblem, fragment] + body + [signature], image: image, resolution: 300,
                                          rules: ImageRules.find(in: GrayImage(width: 100, height: 100)))
        let texts = Self.text(page)
        #expect(!texts.contains("者") && !texts.contains("Ca"))
        #expect(texts.contains("王帅"))
        #expect(texts.count == 5)
    }
}
