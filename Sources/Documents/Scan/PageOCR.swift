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
    /// Resolution pages of a PDF are rendered at for OCR.
    public var renderResolution: Int
    /// Pages read at once (one OCR engine handle and one page bitmap each).
    public var jobs: Int
    /// Paint solid dark areas white before reading (verifying a redacted copy: its black boxes are not text).
    public var blanksSolidAreas = false

    public init(engine: any OCREngine, languages: [Language] = [.zh, .en], renderResolution: Int = 300, jobs: Int? = nil) {
        self.engine = engine
        self.languages = languages
        self.renderResolution = renderResolution
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    public func read(_ image: GrayImage, page number: Int, resolution: Int) throws -> ScannedPage {
        let image = blanksSolidAreas ? image.erasingSolidAreas(window: max(5, resolution / 24)) : image
        let orientation = engine.orientation(of: image, resolution: resolution)
        let turns = (orientation.rotation ?? 0) / 90
        let upright = image.rotated(quarterTurns: (4 - turns) % 4)
        let skew = SkewEstimator.angle(of: upright)
        let level = upright.rotated(by: -skew)
        let rules = ImageRules.find(in: level)
        // Speckle and JPEG noise cost the recogniser more than the median filter's softening does.
        let cleaned = rules.erased(from: level).medianFiltered()
        let pageLanguages = orientation.script.flatMap { languages.contains($0) ? [$0] : nil } ?? languages
        let lines = try engine.recognize(cleaned, options: OCROptions(languages: pageLanguages, layout: .page, resolution: resolution))
        let raw = ScanPageBuilder().page(number: number, lines: lines, image: level, resolution: resolution, rules: rules)
        let transform = PageTransform(width: image.width, height: image.height, quarterTurns: turns, skew: skew)
        let layer = OCRLayerPage(number: number, width: image.width, height: image.height, resolution: resolution,
                                 rotation: turns * 90, skew: skew,
                                 lines: lines.map { transform.toOriginal($0) })
        return ScannedPage(raw: raw, layer: layer)
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
public struct OCRLayerPage: Sendable, Codable, Equatable {
    public var number: Int
    public var width: Int
    public var height: Int
    public var resolution: Int
    /// Clockwise quarter turns (degrees) the page was scanned at, and the skew removed before OCR (degrees).
    public var rotation: Int
    public var skew: Double
    public var lines: [RecognizedText]
}

extension RecognizedText: Codable {
    enum CodingKeys: String, CodingKey { case text, x, y, width, height, confidence, words }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(text: try c.decode(String.self, forKey: .text), x: try c.decode(Int.self, forKey: .x),
                  y: try c.decode(Int.self, forKey: .y), width: try c.decode(Int.self, forKey: .width),
                  height: try c.decode(Int.self, forKey: .height), confidence: try c.decode(Double.self, forKey: .confidence),
                  words: try c.decodeIfPresent([RecognizedWord].self, forKey: .words) ?? [])
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text); try c.encode(x, forKey: .x); try c.encode(y, forKey: .y)
        try c.encode(width, forKey: .width); try c.encode(height, forKey: .height)
        try c.encode(confidence, forKey: .confidence); try c.encode(words, forKey: .words)
    }
}

extension RecognizedWord: Codable {
    enum CodingKeys: String, CodingKey { case text, x, y, width, height, confidence }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(text: try c.decode(String.self, forKey: .text), x: try c.decode(Int.self, forKey: .x),
                  y: try c.decode(Int.self, forKey: .y), width: try c.decode(Int.self, forKey: .width),
                  height: try c.decode(Int.self, forKey: .height), confidence: try c.decode(Double.self, forKey: .confidence))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text); try c.encode(x, forKey: .x); try c.encode(y, forKey: .y)
        try c.encode(width, forKey: .width); try c.encode(height, forKey: .height); try c.encode(confidence, forKey: .confidence)
    }
}

extension OCRLayerPage {
    /// A box on the levelled page the layout saw (points) as a box on the page image as given (points).
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
