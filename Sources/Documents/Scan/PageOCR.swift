public import Core
import Dispatch
import Foundation
import Synchronization

/// Reads one scanned page image: orientation (0/90/180/270), deskew, ruling lines found and erased, OCR of the
/// lines with word boxes, then a ``RawPage`` for the layout and the OCR layer in the original image's pixels.
public struct PageOCR: Sendable {
    public let engine: any OCREngine
    /// Languages a page may be in. With several, each page is read in the one its script shows (Tesseract reads
    /// Chinese pages best with its Chinese model alone, which knows Latin letters and digits too), or in all of
    /// them together when the script is unclear.
    public var languages: [Language]
    /// Resolution pages of a PDF are rendered at for OCR; nil reads each scanned page at its scan's own
    /// resolution (see ``resolution(width:height:images:)``).
    public var renderResolution: Int?
    /// Pages read at once (one OCR engine handle and one page bitmap each).
    public var jobs: Int
    /// Paint solid dark areas white before reading (verifying a redacted copy: its black boxes are not text).
    public var blanksSolidAreas = false
    /// Small print (see ``smallPrintPoints``) read from the page enlarged; off, every page is read as given.
    public var enlargesSmallPrint = true

    /// Pages whose scan resolution is unknown are rendered at this one.
    public static let defaultResolution = 300
    /// Scans are read at their own resolution within these bounds. Rendering a 200-dpi scan at 300 dpi reads
    /// no better now that unsure lines are read again enlarged (dev scans: CER 0.045 against 0.043, table cells
    /// 0.896 against 0.902, sections 0.994 against 0.963) and costs a third more time; below 200 dpi small print
    /// loses its decimal points, and above 300 Tesseract gains nothing for the time.
    public static let scanResolutions = 200...300

    public init(engine: any OCREngine, languages: [Language] = [.zh, .en], renderResolution: Int? = nil,
                jobs: Int? = nil) {
        self.engine = engine
        self.languages = languages
        self.renderResolution = renderResolution
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The resolution a PDF page (`width` × `height` points, with `images` on it) is rendered at for OCR:
    /// ``renderResolution`` when set, else that of the scan covering the page (its image's pixels over its size
    /// on the page), rounded to 10 dpi and kept within ``scanResolutions``.
    public func resolution(width: Double, height: Double, images: [RawImage]) -> Int {
        if let renderResolution { return renderResolution }
        let scans = images.filter { $0.box.width * $0.box.height >= 0.5 * width * height }
        guard let scan = scans.compactMap(\.resolution).max() else { return Self.defaultResolution }
        let rounded = Int((scan / 10).rounded()) * 10
        return min(max(rounded, Self.scanResolutions.lowerBound), Self.scanResolutions.upperBound)
    }

    public func read(_ image: GrayImage, page number: Int, resolution: Int) throws -> ScannedPage {
        let window = max(5, resolution / 24)
        let image = blanksSolidAreas ? image.erasingSolidAreas(window: window) : image.erasingBlackBoxes(window: window)
        let finder = PageOrientationFinder(engine: engine, languages: languages)
        let check = try finder.check(image, resolution: resolution)
        guard let upright = check.upright else {
            return try read(image, as: try finder.detected(in: image, resolution: resolution, after: check), page: number, resolution: resolution)
        }
        let page = try read(image, as: upright, page: number, resolution: resolution)
        // A square of a turned page may read sure by chance; then the whole page reads poorly.
        guard page.layer.confidence < Self.doubtfulPageConfidence else { return page }
        let detected = try finder.detected(in: image, resolution: resolution, after: check)
        guard let rotation = detected.rotation, rotation != 0 else { return page }
        return try read(image, as: detected, page: number, resolution: resolution)
    }

    /// A page read with less confidence than this (its characters' mean) after a sample said it was upright is
    /// checked by the engine's orientation detection. Upright dev scans read at 0.7 or more.
    static let doubtfulPageConfidence = 0.45

    /// Print smaller than this (points, see ``TextHeight``) is read from the page enlarged to ``fineResolution``.
    /// On the dev scans' small-print reports (d003, d010, d033) table cells go from 0.61–0.80 at 200 dpi to
    /// 0.90–1.00. (Enlarged to 260 dpi they read as well, but one redacted copy's table fell apart.)
    public static let smallPrintPoints = 6.6

    private func read(_ image: GrayImage, as orientation: PageOrientation, page number: Int, resolution: Int) throws -> ScannedPage {
        let turns = (orientation.rotation ?? 0) / 90
        let upright = image.rotated(quarterTurns: (4 - turns) % 4)
        if enlargesSmallPrint, resolution < Self.fineResolution, let size = TextHeight.points(of: upright, resolution: resolution), size < Self.smallPrintPoints {
            var page = try read(image.enlarged(by: Double(Self.fineResolution) / Double(resolution)), as: orientation,
                                page: number, resolution: Self.fineResolution)
            // The OCR layer stays in pixels of the page image as given.
            page.layer = page.layer.scaled(toWidth: image.width, height: image.height, resolution: resolution)
            return page
        }
        // Measured on the text alone: a redacted copy's black boxes, level on a skewed scan, outweigh its lines.
        let skew = SkewEstimator.angle(of: upright.erasingSolidAreas(window: max(5, resolution / 24)))
        let level = upright.rotated(by: -skew)
        let rules = ImageRules.find(in: level)
        // Speckle and JPEG noise cost the recogniser more than the median filter's softening does.
        let erased = rules.erased(from: level)
        let cleaned = erased.medianFiltered()
        var (read, language) = try recognize(cleaned, script: orientation.script, resolution: resolution)
        read += try readSkippedInk(read, in: cleaned, languages: language, resolution: resolution)
        if resolution < Self.fineResolution { read = try rereadWeakLines(read, in: erased, languages: language, resolution: resolution) }
        // Ruled cells are looked at again one by one (a row is at most half an inch high).
        let lines = try TableCellRepair(engine: engine, languages: language, resolution: resolution)
            .repair(read.map { StrayMarks.tidy(Self.orderedWordBoxes($0)) }, cells: rules.cells(maximumRowHeight: resolution / 2), image: cleaned)
        let raw = ScanPageBuilder().page(number: number, lines: lines, image: level, resolution: resolution, rules: rules)
        let transform = PageTransform(width: image.width, height: image.height, quarterTurns: turns, skew: skew)
        let layer = OCRLayerPage(number: number, width: image.width, height: image.height, resolution: resolution,
                                 rotation: turns * 90, skew: skew,
                                 lines: lines.map { transform.toOriginal($0) })
        return ScannedPage(raw: raw, layer: layer)
    }

    /// The page read in the language its script shows. When the script is unclear (a lab report is half Latin
    /// abbreviations and numbers), Chinese is tried first — its model reads Latin letters and digits too — and
    /// English only when that finds almost no Chinese.
    /// - Returns: the lines, and the languages they were read in.
    private func recognize(_ image: GrayImage, script: Language?, resolution: Int) throws -> ([RecognizedText], [Language]) {
        func read(_ languages: [Language]) throws -> ([RecognizedText], [Language]) {
            (try engine.recognize(image, options: OCROptions(languages: languages, layout: .page, resolution: resolution)), languages)
        }
        if script == .zh, languages.contains(.zh) { return (try rereadChineseModelSlips(try read([.zh]).0, in: image, resolution: resolution), [.zh]) }
        if script == .en, languages.contains(.en) { return (try rereadEnglishModelSlips(try read([.en]).0, in: image, resolution: resolution), [.en]) }
        if let script, languages.contains(script) { return try read([script]) }
        guard languages.contains(.zh), languages.contains(.en) else { return try read(languages) }
        let chinese = try read([.zh]).0
        let letters = chinese.flatMap { $0.text.unicodeScalars.filter { $0.properties.isAlphabetic } }
        let han = letters.filter(\.isWide).count
        if letters.count > 20 && han * 20 < letters.count { return (try rereadEnglishModelSlips(try read([.en]).0, in: image, resolution: resolution), [.en]) }
        return (try rereadChineseModelSlips(chinese, in: image, resolution: resolution), [.zh])
    }

    /// Lines read from ink the page reading skipped are kept at this confidence or more (noise and logos read
    /// as text come out below it).
    static let skippedInkConfidence = 0.6

    /// Text the page reading skipped (see ``SkippedInk``), read a region at a time as one block of lines. The crop
    /// takes in the edges of words already read; words overlapping them are dropped, so nothing is read twice.
    private func readSkippedInk(_ lines: [RecognizedText], in image: GrayImage, languages: [Language], resolution: Int) throws -> [RecognizedText] {
        let known = lines.flatMap(\.words)
        func overlapsKnown(_ word: RecognizedWord) -> Bool {
            known.contains { other in
                let width = min(word.x + word.width, other.x + other.width) - max(word.x, other.x)
                let height = min(word.y + word.height, other.y + other.height) - max(word.y, other.y)
                return width > 0 && height > 0 && width * height * 4 > word.width * word.height
            }
        }
        var found: [RecognizedText] = []
        for region in SkippedInk.regions(in: image, reading: lines, resolution: resolution) {
            let margin = resolution / 40
            let x0 = max(0, region.x0 - margin), y0 = max(0, region.y0 - margin)
            let crop = image.cropped(x0: x0, y0: y0, x1: region.x1 + margin, y1: region.y1 + margin)
            for line in try engine.recognize(crop, options: OCROptions(languages: languages, layout: .block, resolution: resolution)) {
                var line = line.moved(x: x0, y: y0)
                line.words.removeAll(where: overlapsKnown)
                guard !line.words.isEmpty else { continue }
                line.text = line.wordText
                line.confidence = line.words.map(\.confidence).reduce(0, +) / Double(line.words.count)
                guard line.confidence >= Self.skippedInkConfidence, line.text.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
                found.append(line)
            }
        }
        return found
    }

    /// Below this resolution small print loses detail (decimal points, the strokes of bold headings): lines the
    /// recogniser is unsure of are read again enlarged to it.
    static let fineResolution = 300
    /// Lines read with less confidence are read again. On the dev scans at 200 dpi: section recall 0.921 → 0.957,
    /// table cells 0.847 → 0.852, CER 0.060 → 0.059, for 1.6 % more time; 0.6 reads more lines for no more gain.
    static let weakLineConfidence = 0.45

    /// Lines read with low confidence, read again one by one from the page enlarged to ``fineResolution`` (and
    /// cleaned there, as a page rendered at it would be); the new reading replaces the old when it is surer.
    private func rereadWeakLines(_ lines: [RecognizedText], in image: GrayImage, languages: [Language], resolution: Int) throws -> [RecognizedText] {
        let factor = Double(Self.fineResolution) / Double(resolution)
        var result = lines
        // A lone glyph read from a logo or a stamp is no text line: left as it is.
        for (index, line) in lines.enumerated() where line.confidence < Self.weakLineConfidence && line.height >= 6 && line.text.filter({ !$0.isWhitespace }).count >= 2 {
            let margin = max(4, line.height / 3)
            let x0 = max(0, line.x - margin), y0 = max(0, line.y - margin)
            let crop = image.cropped(x0: x0, y0: y0, x1: line.x + line.width + margin, y1: line.y + line.height + margin)
            let enlarged = crop.enlarged(by: factor).medianFiltered()
            let found = try engine.recognize(enlarged, options: OCROptions(languages: languages, layout: .line, resolution: Self.fineResolution))
            guard found.count == 1, let reread = found.first, !reread.words.isEmpty, reread.confidence > line.confidence + 0.1 else { continue }
            func back(_ value: Int) -> Int { Int((Double(value) / factor).rounded()) }
            let words = reread.words.map { word in
                RecognizedWord(text: word.text, x: x0 + back(word.x), y: y0 + back(word.y), width: back(word.width), height: back(word.height),
                               confidence: word.confidence, pointSize: word.pointSize)
            }
            // The same line read better stays where it was; a reading spilling into the margin took in something else.
            let slack = max(3, line.height / 4)
            guard words.allSatisfy({ $0.x >= line.x - slack && $0.y >= line.y - slack && $0.x + $0.width <= line.x + line.width + slack
                                     && $0.y + $0.height <= line.y + line.height + slack }) else { continue }
            result[index] = RecognizedText(text: reread.text, x: x0 + back(reread.x), y: y0 + back(reread.y), width: back(reread.width),
                                           height: back(reread.height), confidence: reread.confidence, words: words)
        }
        return result
    }

    /// Words the Chinese model is known to get wrong, read again with the English one.
    private func rereadChineseModelSlips(_ lines: [RecognizedText], in image: GrayImage, resolution: Int) throws -> [RecognizedText] {
        let units = try rereadLatinWords(lines, in: image, resolution: resolution)
        guard languages.contains(.en) else { return units }
        let english = EnglishSecondReading(engine: engine, resolution: resolution)
        return try english.unsureShortWords(in: try english.decimalPoints(in: units, image: image), image: image)
    }

    /// The English model keeps decimal points at 300 dpi (none lost on the dev scans) but loses some in smaller
    /// print: there its numbers are read again alone.
    private func rereadEnglishModelSlips(_ lines: [RecognizedText], in image: GrayImage, resolution: Int) throws -> [RecognizedText] {
        guard resolution < Self.fineResolution else { return lines }
        return try EnglishSecondReading(engine: engine, resolution: resolution).decimalPoints(in: lines, image: image)
    }

    /// Units in Chinese-model text come out mangled (`mmol/儿`, `8&/人L` for g/L, often split in two words): every
    /// run of touching words with a `/` or `&` in it is read again alone with the English model, and its reading
    /// replaces the run when it is plain ASCII and the model is fairly sure. (Reading all runs of a page stacked in
    /// one call is about 10 % faster per page but reads them worse: CER 0.084 against 0.079 on the dev scans.)
    private func rereadLatinWords(_ lines: [RecognizedText], in image: GrayImage, resolution: Int) throws -> [RecognizedText] {
        guard languages.contains(.en) else { return lines }
        var result = lines
        for (lineIndex, line) in lines.enumerated() {
            var words = line.words
            var index = 0
            while index < words.count {
                guard words[index].text.unicodeScalars.contains(where: { $0 == "/" || $0 == "&" }) else { index += 1; continue }
                // Grow the run over touching neighbours.
                var first = index, last = index
                func touching(_ a: RecognizedWord, _ b: RecognizedWord) -> Bool { b.x - (a.x + a.width) < max(3, a.height / 4) }
                while first > 0, touching(words[first - 1], words[first]), !words[first - 1].text.unicodeScalars.contains(where: \.isWide) || words[first - 1].text.count == 1 { first -= 1 }
                while last + 1 < words.count, touching(words[last], words[last + 1]), words[last + 1].text.count <= 2 { last += 1 }
                let run = words[first...last]
                let x0 = run.map(\.x).min()!, y0 = run.map(\.y).min()!
                let x1 = run.map { $0.x + $0.width }.max()!, y1 = run.map { $0.y + $0.height }.max()!
                let margin = max(2, (y1 - y0) / 4)
                let crop = image.cropped(x0: x0 - margin, y0: y0 - margin, x1: x1 + margin, y1: y1 + margin)
                let reread = try engine.recognize(crop, options: OCROptions(languages: [.en], layout: .word, resolution: resolution))
                let found = reread.flatMap(\.words)
                let text = found.map(\.text).joined()
                let confidence = found.map(\.confidence).min() ?? 0
                if !text.isEmpty, text.unicodeScalars.allSatisfy(\.isASCII), confidence >= 0.45 {
                    let merged = RecognizedWord(text: text, x: x0, y: y0, width: x1 - x0, height: y1 - y0, confidence: confidence,
                                                pointSize: run.first!.pointSize)
                    words.replaceSubrange(first...last, with: [merged])
                    index = first + 1
                } else {
                    index = last + 1
                }
            }
            if words != line.words {
                result[lineIndex].words = words
                result[lineIndex].text = words.map(\.text).joined(separator: " ")
            }
        }
        return result
    }

    /// Word boxes tidied: Tesseract sometimes gives a CJK word's first character the whole word's (or line's) box,
    /// which would read as two stacked segments and redact far too much.
    static func orderedWordBoxes(_ line: RecognizedText) -> RecognizedText {
        var line = line
        // Vertically, a word reaches at most a little beyond where most of the line's words start and end (a box
        // spilling into the next line would take that line's text with it when redacted).
        if line.words.count >= 3 {
            let top = line.words.map { Double($0.y) }.median, bottom = line.words.map { Double($0.y + $0.height) }.median
            let slack = 0.2 * (bottom - top)
            for index in line.words.indices {
                let y0 = max(Double(line.words[index].y), top - slack)
                let y1 = min(Double(line.words[index].y + line.words[index].height), bottom + slack)
                guard y1 > y0 else { continue }
                line.words[index].y = Int(y0.rounded(.down))
                line.words[index].height = max(1, Int(y1.rounded(.up)) - line.words[index].y)
            }
        }
        for index in line.words.indices.dropLast() {
            let next = line.words[index + 1]
            let word = line.words[index]
            if word.x + word.width > next.x, next.x > word.x {
                line.words[index].width = max(1, next.x - word.x)
            }
        }
        return line
    }

    /// Reads `count` pages, at most `jobs` at a time; `image(n)` yields page n (from 1) and its resolution, so only
    /// the pages being read are in memory. Results come back in page order; `progress` hears each page done.
    public func readPages(count: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in },
                          image: @Sendable (Int) throws -> (GrayImage, Int)) throws -> [ScannedPage] {
        let results = Mutex<[Int: Result<ScannedPage, any Error>]>([:])
        let next = Atomic<Int>(1)
        let done = Atomic<Int>(0)
        let workers = max(1, min(jobs, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let number = next.add(1, ordering: .relaxed).oldValue
                guard number <= count else { return }
                let result = Result { () throws -> ScannedPage in
                    let (pageImage, resolution) = try image(number)
                    return try read(pageImage, page: number, resolution: resolution)
                }
                results.withLock { $0[number] = result }
                progress(done.add(1, ordering: .relaxed).newValue, count)
            }
        }
        return try results.withLock { all in try (1...max(1, count)).prefix(count).map { try all[$0]!.get() } }
    }
}

/// A page read by OCR: the raw page for the layout (points, levelled) and the OCR layer (original pixels).
public struct ScannedPage: Sendable {
    public var raw: RawPage
    public var layer: OCRLayerPage
}

/// What OCR found on one page, in pixels of the page image as given (origin top-left, before any rotation or
/// deskew MedLocal applied): the format downstream PHI tools read, and what image redaction paints over.
public struct OCRLayerPage: Sendable, Equatable {
    public var number: Int
    public var width: Int
    public var height: Int
    public var resolution: Int
    /// Clockwise quarter turns (degrees) the page was scanned at, and the skew removed before OCR (degrees).
    public var rotation: Int
    public var skew: Double
    public var lines: [RecognizedText]
}

extension OCRLayerPage {
    /// The lines' confidences weighted by their characters; 0 for a page with no text.
    public var confidence: Double { lines.characterWeightedConfidence }

    /// The layer of the same page read from an image `width` × `height` at `resolution` (boxes scaled to it).
    func scaled(toWidth newWidth: Int, height newHeight: Int, resolution newResolution: Int) -> OCRLayerPage {
        let sx = Double(newWidth) / Double(width), sy = Double(newHeight) / Double(height)
        func box(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> (Int, Int, Int, Int) {
            let x0 = Int((Double(x) * sx).rounded(.down)), y0 = Int((Double(y) * sy).rounded(.down))
            let x1 = Int((Double(x + w) * sx).rounded(.up)), y1 = Int((Double(y + h) * sy).rounded(.up))
            return (x0, y0, min(newWidth, x1) - x0, min(newHeight, y1) - y0)
        }
        var scaled = self
        (scaled.width, scaled.height, scaled.resolution) = (newWidth, newHeight, newResolution)
        scaled.lines = lines.map { line in
            var copy = line
            (copy.x, copy.y, copy.width, copy.height) = box(line.x, line.y, line.width, line.height)
            copy.words = line.words.map { word in
                var w = word
                (w.x, w.y, w.width, w.height) = box(word.x, word.y, word.width, word.height)
                return w
            }
            return copy
        }
        return scaled
    }

    /// A box on the levelled page the layout saw (points) as boxes on the page image as given (points): cut into
    /// pieces about as wide as the box is high first, so that on a skewed scan the pieces follow the slanted text
    /// instead of one upright box growing by width × sin(skew) and covering the lines above and below.
    public func originalBoxes(ofLevelled box: Box) -> [Box] {
        guard skew != 0, box.width > 2 * box.height else { return [originalBox(ofLevelled: box)] }
        let pieces = Int((box.width / max(box.height, 4)).rounded(.up))
        let width = box.width / Double(pieces)
        return (0..<pieces).map { index in
            originalBox(ofLevelled: Box(x0: box.x0 + Double(index) * width, y0: box.y0, x1: box.x0 + Double(index + 1) * width, y1: box.y1))
        }
    }

    /// A box on the levelled page the layout saw (points) as one upright box on the page image as given (points).
    public func originalBox(ofLevelled box: Box) -> Box {
        let pixels = Double(resolution) / 72
        let transform = PageTransform(width: width, height: height, quarterTurns: rotation / 90, skew: skew)
        let (x, y, w, h) = transform.toOriginal(x: Int((box.x0 * pixels).rounded(.down)), y: Int((box.y0 * pixels).rounded(.down)),
                                                width: Int((box.width * pixels).rounded(.up)), height: Int((box.height * pixels).rounded(.up)))
        return Box(x0: Double(x) / pixels, y0: Double(y) / pixels, x1: Double(x + w) / pixels, y1: Double(y + h) / pixels)
    }
}

/// Maps boxes on the levelled page back to the page image as given: undo the deskew rotation, then the quarter
/// turns. A turned box's bounding box is slightly larger than the box, which errs on the safe side for redaction.
struct PageTransform {
    var width: Int
    var height: Int
    var quarterTurns: Int
    var skew: Double

    func toOriginal(_ line: RecognizedText) -> RecognizedText {
        var mapped = line
        (mapped.x, mapped.y, mapped.width, mapped.height) = toOriginal(x: line.x, y: line.y, width: line.width, height: line.height)
        mapped.words = line.words.map { word in
            var copy = word
            (copy.x, copy.y, copy.width, copy.height) = toOriginal(x: word.x, y: word.y, width: word.width, height: word.height)
            return copy
        }
        return mapped
    }

    func toOriginal(x: Int, y: Int, width boxWidth: Int, height boxHeight: Int) -> (Int, Int, Int, Int) {
        // The upright image's size (before deskew, which keeps the size).
        let uprightWidth = quarterTurns % 2 == 0 ? width : height, uprightHeight = quarterTurns % 2 == 0 ? height : width
        let centerX = Double(uprightWidth - 1) / 2, centerY = Double(uprightHeight - 1) / 2
        let radians = skew * .pi / 180, cosine = cos(radians), sine = sin(radians)
        let corners = [(x, y), (x + boxWidth, y), (x, y + boxHeight), (x + boxWidth, y + boxHeight)].map { point in
            // Levelled = upright turned by -skew, so upright = levelled turned by +skew.
            let dx = Double(point.0) - centerX, dy = Double(point.1) - centerY
            let ux = centerX + dx * cosine - dy * sine, uy = centerY + dx * sine + dy * cosine
            return unturn(ux, uy, uprightWidth: Double(uprightWidth), uprightHeight: Double(uprightHeight))
        }
        let x0 = max(0, Int(corners.map(\.0).min()!.rounded(.down))), y0 = max(0, Int(corners.map(\.1).min()!.rounded(.down)))
        let x1 = min(width, Int(corners.map(\.0).max()!.rounded(.up))), y1 = min(height, Int(corners.map(\.1).max()!.rounded(.up)))
        return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))
    }

    /// The upright image was the original turned counter-clockwise by `quarterTurns`; turn a point back.
    private func unturn(_ x: Double, _ y: Double, uprightWidth: Double, uprightHeight: Double) -> (Double, Double) {
        switch quarterTurns % 4 {
        case 1: (uprightHeight - y, x)
        case 2: (uprightWidth - x, uprightHeight - y)
        case 3: (y, uprightWidth - x)
        default: (x, y)
        }
    }
}
