public import Core

/// Ruling lines drawn on a scanned page: long straight runs of dark pixels, horizontal or vertical, found on the
/// levelled image. They become the same vector marks a digital PDF's rules are, so table detection works the
/// same way for scans; erasing them before OCR keeps the recogniser from reading them as characters.
public struct ImageRules: Sendable, Equatable {
    /// Boxes in pixels (x0, y0, x1, y1), x1/y1 exclusive.
    public struct Rule: Sendable, Equatable {
        public var x0: Int, y0: Int, x1: Int, y1: Int
        public var isHorizontal: Bool { x1 - x0 > y1 - y0 }
    }

    public var rules: [Rule]

    /// Finds rules at least `minimumLength` pixels long (default: 1/25 of the page width, about 8 mm on A4) and
    /// at most `maximumThickness` pixels thick. Gaps of a couple of pixels (noise, JPEG) are bridged.
    public static func find(in image: GrayImage, minimumLength: Int? = nil, maximumThickness: Int = 8) -> ImageRules {
        let length = minimumLength ?? max(40, image.width / 25)
        let threshold = SkewEstimator.darkThreshold(of: image)
        let horizontal = runs(in: image, threshold: threshold, minimumLength: length, transposed: false)
        let vertical = runs(in: image, threshold: threshold, minimumLength: length, transposed: true)
        let rules = merge(horizontal, maximumThickness: maximumThickness, transposed: false)
            + merge(vertical, maximumThickness: maximumThickness, transposed: true)
        return ImageRules(rules: rules)
    }

    /// A run of dark pixels along one row (or column when transposed): line index and [start, end).
    private struct Run { var line: Int; var start: Int; var end: Int }

    private static func runs(in image: GrayImage, threshold: UInt8, minimumLength: Int, transposed: Bool) -> [Run] {
        let lines = transposed ? image.width : image.height, along = transposed ? image.height : image.width
        let width = image.width
        let maximumGap = 2
        var found: [Run] = []
        image.pixels.withUnsafeBufferPointer { pixels in
            for line in 0..<lines {
                var start = -1, lastDark = -10
                for position in 0..<along {
                    let value = transposed ? pixels[position * width + line] : pixels[line * width + position]
                    guard value < threshold else { continue }
                    if position - lastDark > maximumGap + 1 {
                        if start >= 0, lastDark + 1 - start >= minimumLength { found.append(Run(line: line, start: start, end: lastDark + 1)) }
                        start = position
                    }
                    lastDark = position
                }
                if start >= 0, lastDark + 1 - start >= minimumLength { found.append(Run(line: line, start: start, end: lastDark + 1)) }
            }
        }
        return found
    }

    /// Stacks runs on neighbouring lines that overlap along their length into one rule; stacks thicker than
    /// `maximumThickness` are solid areas (a photo, a filled box), not rules.
    private static func merge(_ runs: [Run], maximumThickness: Int, transposed: Bool) -> [Rule] {
        var open: [(first: Int, last: Int, start: Int, end: Int)] = []
        var closed: [(first: Int, last: Int, start: Int, end: Int)] = []
        for run in runs {   // ordered by line
            open.removeAll { group in
                if group.last < run.line - 1 { closed.append(group); return true }
                return false
            }
            if let index = open.firstIndex(where: { min($0.end, run.end) - max($0.start, run.start) > (run.end - run.start) / 2 }) {
                open[index].last = run.line
                open[index].start = min(open[index].start, run.start)
                open[index].end = max(open[index].end, run.end)
            } else {
                open.append((run.line, run.line, run.start, run.end))
            }
        }
        closed += open
        return closed.filter { $0.last - $0.first + 1 <= maximumThickness }.map { group in
            transposed ? Rule(x0: group.first, y0: group.start, x1: group.last + 1, y1: group.end)
                : Rule(x0: group.start, y0: group.first, x1: group.end, y1: group.last + 1)
        }
    }

    /// The image with every rule painted white (one pixel wider on each side, for the blurred edge).
    public func erased(from image: GrayImage) -> GrayImage {
        var copy = image
        for rule in rules { copy.fill(x0: rule.x0 - 1, y0: rule.y0 - 1, x1: rule.x1 + 1, y1: rule.y1 + 1, with: 255) }
        return copy
    }

    /// The rules as vector marks in points (`scale` points per pixel): thin strokes along each rule's centre.
    public func marks(scale: Double) -> [RawMark] {
        rules.map { rule in
            let box: Box = if rule.isHorizontal {
                Box(x0: Double(rule.x0) * scale, y0: Double(rule.y0 + rule.y1) / 2 * scale - 0.25,
                    x1: Double(rule.x1) * scale, y1: Double(rule.y0 + rule.y1) / 2 * scale + 0.25)
            } else {
                Box(x0: Double(rule.x0 + rule.x1) / 2 * scale - 0.25, y0: Double(rule.y0) * scale,
                    x1: Double(rule.x0 + rule.x1) / 2 * scale + 0.25, y1: Double(rule.y1) * scale)
            }
            let thickness = Double(rule.isHorizontal ? rule.y1 - rule.y0 : rule.x1 - rule.x0) * scale
            return RawMark(kind: .stroke, box: box, lineWidth: thickness)
        }
    }
}
