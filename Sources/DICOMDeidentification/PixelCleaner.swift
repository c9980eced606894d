public import Core
public import DICOM
import Foundation

/// Clean Pixel Data: burned-in text found by OCR in native pixel data and blanked (filled with the frame's
/// darkest value). Encapsulated (compressed) pixel data is not decoded: it is reported as not checked, never
/// passed as clean.
public struct PixelCleaner: Sendable {
    public let ocr: any OCREngine
    /// Lines the engine is less sure of are not text (annotation text in small images reads poorly, so low).
    public var minimumConfidence = 0.3
    /// Box padding in original pixels (glyph edges, anti-aliasing).
    public var padding = 2

    public init(ocr: any OCREngine) {
        self.ocr = ocr
    }

    /// A blanked region, in original pixel coordinates.
    public struct Region: Sendable, Encodable, Equatable {
        public var frame: Int
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int
    }

    public enum Outcome: Sendable, Equatable {
        case cleaned([Region])
        /// Compressed or unreadable pixel data: not checked for burned-in text.
        case notChecked(String)
        case noPixelData
    }

    /// - Throws: the OCR engine's error.
    public func clean(_ dataset: inout Dataset, bigEndian: Bool) throws -> Outcome {
        guard let element = dataset[.pixelData] else { return .noPixelData }
        if case .fragments = element.value { return .notChecked("compressed pixel data is not decoded; burned-in text not checked") }
        guard let frames = PixelFrames(dataset, bigEndian: bigEndian) else {
            return .notChecked("pixel data layout not supported for OCR (bit depth or samples)")
        }
        var bytes = element.bytes
        var regions: [Region] = []
        for frame in 0..<frames.frames {
            let grey = frames.grey(bytes, frame: frame)
            // Small images are enlarged so their annotation text is tall enough for the recogniser.
            let scale = max(1, min(4, Int((400.0 / Double(max(grey.width, grey.height))).rounded(.up))))
            let image = Self.enlarge(grey, by: scale)
            for line in try ocr.recognize(image, languages: [.en]) where isText(line) {
                let found = Region(frame: frame, x: line.x / scale, y: line.y / scale, width: (line.width + scale - 1) / scale,
                                   height: (line.height + scale - 1) / scale)
                // Burned-in annotations are drawn in the brightest value; lines without it are image content
                // (coloured labels of a test pattern, anatomy the recogniser took for letters).
                guard Self.saturatedShare(found, in: grey) >= 0.03 else { continue }
                let grown = Self.grow(found, in: grey)
                let region = Region(frame: frame, x: grown.x - padding, y: grown.y - padding,
                                    width: grown.width + 2 * padding, height: grown.height + 2 * padding)
                frames.blank(&bytes, frame: frame, x: region.x, y: region.y, width: region.width, height: region.height, fill: grey.darkest)
                regions.append(region)
            }
        }
        if !regions.isEmpty {
            var cleaned = element
            cleaned.value = .bytes(bytes)
            dataset[.pixelData] = cleaned
        }
        return .cleaned(regions)
    }

    /// The share of a region's pixels at the brightest levels (≥ 250 of 255).
    static func saturatedShare(_ region: Region, in image: GrayImageData) -> Double {
        let x0 = max(0, region.x), y0 = max(0, region.y)
        let x1 = min(image.width, region.x + region.width), y1 = min(image.height, region.y + region.height)
        guard x0 < x1, y0 < y1 else { return 0 }
        var count = 0
        for y in y0..<y1 { for x in x0..<x1 where image.pixels[y * image.width + x] >= 250 { count += 1 } }
        return Double(count) / Double((x1 - x0) * (y1 - y0))
    }

    /// The recogniser often boxes only part of an annotation line. Annotation text is drawn saturated, so the box
    /// grows sideways over neighbouring columns of the same band that hold saturated pixels, across gaps narrower
    /// than a glyph — and only when the box itself holds saturated pixels.
    static func grow(_ region: Region, in image: GrayImageData) -> Region {
        let y0 = max(0, region.y), y1 = min(image.height, region.y + region.height)
        guard y0 < y1 else { return region }
        func saturated(_ column: Int) -> Bool {
            guard column >= 0, column < image.width else { return false }
            return (y0..<y1).contains { image.pixels[$0 * image.width + column] >= 250 }
        }
        let inside = (max(0, region.x)..<min(image.width, region.x + region.width))
        guard inside.contains(where: saturated) else { return region }
        let maximumGap = max(2, (y1 - y0) / 2)
        var left = region.x, right = region.x + region.width
        var gap = 0, column = left - 1
        while column >= 0, gap <= maximumGap {
            if saturated(column) { left = column; gap = 0 } else { gap += 1 }
            column -= 1
        }
        gap = 0
        column = right
        while column < image.width, gap <= maximumGap {
            if saturated(column) { right = column + 1; gap = 0 } else { gap += 1 }
            column += 1
        }
        return Region(frame: region.frame, x: left, y: region.y, width: right - left, height: region.height)
    }

    /// Confident lines with at least three letters or digits.
    private func isText(_ line: RecognizedText) -> Bool {
        line.confidence >= minimumConfidence && line.text.filter { $0.isLetter || $0.isNumber }.count >= 3
    }

    static func enlarge(_ image: GrayImageData, by scale: Int) -> GrayImage {
        guard scale > 1 else { return GrayImage(width: image.width, height: image.height, pixels: image.pixels) }
        let width = image.width * scale, height = image.height * scale
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let sourceRow = (y / scale) * image.width
            for x in 0..<width { pixels[y * width + x] = image.pixels[sourceRow + x / scale] }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}
