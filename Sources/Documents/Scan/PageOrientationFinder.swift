public import Core

/// Which way up a scanned page is, and its script: first by reading a small square of it, then, when that
/// reading is unsure, by the engine's own detection.
///
/// Tesseract's orientation and script detection (OSD) was a fifth of a page's time at 200 dpi: it finds lines
/// and images on the whole page and classifies a hundred glyphs four ways (and on the dev scans it often names
/// Chinese pages Cyrillic or Korean). Reading the page's inkiest square inch costs a third of that. Upright text
/// reads sure (dev scans: 0.38–0.91, most above 0.6) and text on its side or upside down does not (at most
/// 0.44, English read upside down), so a sure reading settles the page and anything else is left to OSD.
public struct PageOrientationFinder: Sendable {
    public let engine: any OCREngine
    public let languages: [Language]

    public init(engine: any OCREngine, languages: [Language]) {
        self.engine = engine
        self.languages = languages
    }

    /// Side of the square read, in inches: five or six lines of body text.
    static let sampleInches = 1.0
    /// A square read at least this sure is upright.
    static let uprightConfidence = 0.6
    /// Characters a reading needs before its confidence says anything.
    static let minimumCharacters = 12

    /// The square read and what it said, kept so that a detection after an unsure reading need not find and read
    /// the square again.
    public struct SampleCheck: Sendable {
        /// The page's orientation when the square read upright with confidence, else nil.
        public let upright: PageOrientation?
        let square: GrayImage?
        let straight: SampleReading?
    }

    /// The page's orientation when a square of it reads upright with confidence, else nil.
    public func uprightBySample(of image: GrayImage, resolution: Int) throws -> PageOrientation? {
        try check(image, resolution: resolution).upright
    }

    /// Reads the page's inkiest square as it stands.
    public func check(_ image: GrayImage, resolution: Int) throws -> SampleCheck {
        guard let square = sample(of: image, resolution: resolution) else { return SampleCheck(upright: nil, square: nil, straight: nil) }
        let reading = try read(square, turns: 0, resolution: resolution)
        let sure = reading.characters >= Self.minimumCharacters && reading.confidence >= Self.uprightConfidence
        return SampleCheck(upright: sure ? PageOrientation(rotation: 0, script: reading.script) : nil, square: square, straight: reading)
    }

    /// The engine's own detection; when it finds the page turned, the script is read from the square set upright
    /// (the engine's script guesses are poor, and a square read on its side says nothing of its script). A square
    /// already read (`earlier`) is not found or, for an upright page, read again.
    public func detected(in image: GrayImage, resolution: Int, after earlier: SampleCheck? = nil) throws -> PageOrientation {
        let found = engine.orientation(of: image, resolution: resolution)
        guard let square = earlier.map(\.square) ?? sample(of: image, resolution: resolution) else { return found }
        let turns = (found.rotation ?? 0) / 90
        let reading = try turns == 0 ? earlier?.straight ?? read(square, turns: 0, resolution: resolution)
            : read(square, turns: turns, resolution: resolution)
        guard reading.characters >= Self.minimumCharacters, let script = reading.script else { return found }
        return PageOrientation(rotation: found.rotation, script: script)
    }

    private func sample(of image: GrayImage, resolution: Int) -> GrayImage? {
        let side = Int(Self.sampleInches * Double(resolution))
        guard image.width >= side, image.height >= side, let square = SampleSquare.inkiest(in: image, side: side) else { return nil }
        // Rules cut through a square's lines and confuse a reading of it as one block.
        return ImageRules.find(in: square).erased(from: square)
    }

    private func read(_ sample: GrayImage, turns: Int, resolution: Int) throws -> SampleReading {
        // The Chinese model reads Latin letters and digits too; the English one cannot read Han.
        let reader: [Language] = languages.contains(.zh) ? [.zh] : languages
        // A page turned `turns` quarters clockwise is set upright by turning it back. Read as one block: a page
        // layout analysis would find text on its side and read it turned, as sure as upright text.
        let upright = sample.rotated(quarterTurns: (4 - turns) % 4)
        return SampleReading(try engine.recognize(upright, options: OCROptions(languages: reader, layout: .block, resolution: resolution)))
    }
}

/// What a reading of a sample square says: how sure the reader was, and the script of its letters.
struct SampleReading: Sendable {
    /// Characters read, spaces aside.
    let characters: Int
    /// The lines' confidences, weighted by their characters.
    let confidence: Double
    let letters: Int
    let han: Int

    init(_ lines: [RecognizedText]) {
        let scalars = lines.flatMap { $0.text.unicodeScalars.filter { !$0.properties.isWhitespace } }
        characters = scalars.count
        confidence = lines.characterWeightedConfidence
        letters = scalars.count { $0.properties.isAlphabetic }
        han = scalars.count { $0.properties.isAlphabetic && $0.isWide }
    }

    /// Chinese squares of the dev scans are at least a third Han (a lab table's abbreviations are Latin); the
    /// Chinese model finds a few Han glyphs in English ones too, up to an eighth of the letters.
    var script: Language? {
        if han >= 3, han * 4 >= letters { return .zh }
        if letters >= 20, han * 6 < letters { return .en }
        return nil
    }
}

/// The square of a page with the most text in it.
enum SampleSquare {
    /// The square of side `side` whose ink changes most often between light and dark along rows and columns
    /// (text does at every stroke; rules, logos, photos and black boxes do not), or nil for a blank page.
    static func inkiest(in image: GrayImage, side: Int) -> GrayImage? {
        // Squares are tried at a quarter of their side apart, scored by the blocks they cover.
        let block = max(8, side / 4)
        let columns = image.width / block, rows = image.height / block
        guard columns > 0, rows > 0 else { return nil }
        let threshold = SkewEstimator.darkThreshold(of: image)
        var changes = [Int](repeating: 0, count: columns * rows)
        image.pixels.withUnsafeBufferPointer { pixels in
            // Every other row and column is enough to rank squares.
            for y in stride(from: 0, to: rows * block, by: 2) {
                let row = y * image.width, blockRow = (y / block) * columns
                var wasDark = pixels[row] < threshold
                for x in 1..<(columns * block) {
                    let isDark = pixels[row + x] < threshold
                    if isDark != wasDark { changes[blockRow + x / block] += 1; wasDark = isDark }
                }
            }
            for x in stride(from: 0, to: columns * block, by: 2) {
                var wasDark = pixels[x] < threshold
                for y in 1..<(rows * block) {
                    let isDark = pixels[y * image.width + x] < threshold
                    if isDark != wasDark { changes[(y / block) * columns + x / block] += 1; wasDark = isDark }
                }
            }
        }
        let span = min(4, columns, rows)
        var best = (column: 0, row: 0, score: 0)
        for top in 0...(rows - span) {
            for left in 0...(columns - span) {
                var score = 0
                for row in top..<(top + span) { for column in left..<(left + span) { score += changes[row * columns + column] } }
                if score > best.score { best = (left, top, score) }
            }
        }
        guard best.score > 0 else { return nil }
        let x0 = best.column * block, y0 = best.row * block
        return image.cropped(x0: x0, y0: y0, x1: min(image.width, x0 + side), y1: min(image.height, y0 + side))
    }
}

extension [RecognizedText] {
    /// The lines' confidences, each weighted by its characters (spaces aside); 0 when there are none.
    var characterWeightedConfidence: Double {
        var characters = 0, weighted = 0.0
        for line in self {
            let count = line.text.unicodeScalars.count { !$0.properties.isWhitespace }
            characters += count
            weighted += line.confidence * Double(count)
        }
        return characters > 0 ? weighted / Double(characters) : 0
    }
}
