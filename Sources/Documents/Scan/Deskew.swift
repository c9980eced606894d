public import Core
import Foundation

/// Finds how far a scanned page is turned from level, by projection profiles: text lines and rules make the
/// row sums of dark pixels sharpest when the rows run along them. Coarse search over ±`range` degrees, then a
/// fine one around the best angle.
public enum SkewEstimator {
    /// The angle in degrees by which the page's content is turned clockwise (text descending to the right is
    /// positive); 0 when the page has too little ink to tell.
    public static func angle(of image: GrayImage, range: Double = 5) -> Double {
        let points = darkPoints(of: image, targetWidth: 1000)
        guard points.xs.count >= 200 else { return 0 }
        var best = search(points, from: -range, to: range, step: 0.2)
        best = search(points, from: best - 0.25, to: best + 0.25, step: 0.02)
        return (best * 100).rounded() / 100
    }

    /// Dark pixels of a copy shrunk to about `targetWidth` (darkest pixel of each block, so thin strokes survive).
    private static func darkPoints(of image: GrayImage, targetWidth: Int) -> (xs: [Float], ys: [Float], scale: Int) {
        let factor = max(1, image.width / targetWidth)
        let width = image.width / factor, height = image.height / factor
        let threshold = darkThreshold(of: image)
        var xs: [Float] = [], ys: [Float] = []
        image.pixels.withUnsafeBufferPointer { pixels in
            for by in 0..<height {
                for bx in 0..<width {
                    var darkest: UInt8 = 255
                    for y in (by * factor)..<(by * factor + factor) {
                        let row = y * image.width
                        for x in (bx * factor)..<(bx * factor + factor) where pixels[row + x] < darkest { darkest = pixels[row + x] }
                    }
                    if darkest < threshold {
                        xs.append(Float(bx))
                        ys.append(Float(by))
                    }
                }
            }
        }
        // Mostly-dark images (photos, inverted scans) have no text rows to align.
        if xs.count > width * height / 3 { return ([], [], factor) }
        return (xs, ys, factor)
    }

    /// The angle in `from...to` whose row profile has the largest sum of squares.
    private static func search(_ points: (xs: [Float], ys: [Float], scale: Int), from: Double, to: Double, step: Double) -> Double {
        let maxY = Int(points.ys.max() ?? 0), maxX = Float(points.xs.max() ?? 0)
        var best = (angle: 0.0, score: -1.0)
        var profile = [Int32](repeating: 0, count: maxY + Int(maxX * 0.1) * 2 + 4)
        let offset = Float(Int(maxX * 0.1) + 2)
        var angle = from
        while angle <= to + 1e-9 {
            let slope = Float(tan(angle * .pi / 180))
            for index in profile.indices { profile[index] = 0 }
            profile.withUnsafeMutableBufferPointer { bins in
                points.xs.withUnsafeBufferPointer { xs in
                    points.ys.withUnsafeBufferPointer { ys in
                        for index in 0..<xs.count {
                            let row = Int(ys[index] - xs[index] * slope + offset)
                            if row >= 0, row < bins.count { bins[row] += 1 }
                        }
                    }
                }
            }
            let score = profile.reduce(0.0) { $0 + Double($1) * Double($1) }
            if score > best.score { best = (angle, score) }
            angle += step
        }
        return best.angle
    }

    /// A grey level between paper and ink: halfway between the page's median (paper) and its darkest percentile.
    static func darkThreshold(of image: GrayImage) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        image.pixels.withUnsafeBufferPointer { pixels in
            var index = 0
            while index < pixels.count {
                histogram[Int(pixels[index])] += 1
                index += 7   // a sample is enough for two levels
            }
        }
        let total = histogram.reduce(0, +)
        func level(at fraction: Double) -> Int {
            var seen = 0
            for (value, count) in histogram.enumerated() {
                seen += count
                if Double(seen) >= fraction * Double(total) { return value }
            }
            return 255
        }
        let paper = level(at: 0.5), ink = level(at: 0.01)
        return UInt8(clamping: max(ink + 1, (paper + ink) / 2))
    }
}

extension GrayImage {
    /// The image turned clockwise by `degrees` about its centre, the same size, corners filled white
    /// (bilinear interpolation).
    public func rotated(by degrees: Double) -> GrayImage {
        guard degrees != 0 else { return self }
        let radians = degrees * .pi / 180
        // Source positions step in 16.16 fixed point and interpolate with 8-bit weights: a page at 300 dpi is
        // 9 million pixels, and integer steps take a third of the time floating point did.
        let one = Double(1 << 16), cosineValue = cos(radians), sineValue = sin(radians)
        let cosine = Int((cosineValue * one).rounded()), sine = Int((sineValue * one).rounded())
        let centerX = Double(width - 1) / 2, centerY = Double(height - 1) / 2
        var output = GrayImage(width: width, height: height)
        let width = self.width, height = self.height
        pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let dy = Double(y) - centerY
                    // Source position of output pixel (0, y); it moves by (cos, -sin) per output column.
                    var sourceX = Int(((centerX - centerX * cosineValue + dy * sineValue) * one).rounded())
                    var sourceY = Int(((centerY + centerX * sineValue + dy * cosineValue) * one).rounded())
                    for x in 0..<width {
                        defer { sourceX += cosine; sourceY -= sine }
                        let x0 = sourceX >> 16, y0 = sourceY >> 16
                        guard x0 >= 0, y0 >= 0, x0 + 1 < width, y0 + 1 < height else { continue }
                        let fx = (sourceX >> 8) & 0xFF, fy = (sourceY >> 8) & 0xFF
                        let above = y0 * width + x0, below = above + width
                        let top = Int(source[above]) * (256 - fx) + Int(source[above + 1]) * fx
                        let bottom = Int(source[below]) * (256 - fx) + Int(source[below + 1]) * fx
                        target[y * width + x] = UInt8(truncatingIfNeeded: (top * (256 - fy) + bottom * fy + 32768) >> 16)
                    }
                }
            }
        }
        return output
    }

    /// The pixels inside `x0..<x1, y0..<y1`, clipped to the image.
    public func cropped(x0: Int, y0: Int, x1: Int, y1: Int) -> GrayImage {
        let left = max(0, x0), right = min(width, x1), top = max(0, y0), bottom = min(height, y1)
        guard left < right, top < bottom else { return GrayImage(width: 1, height: 1) }
        var output = GrayImage(width: right - left, height: bottom - top)
        for y in top..<bottom {
            output.pixels.replaceSubrange(((y - top) * output.width)..<((y - top + 1) * output.width),
                                          with: pixels[(y * width + left)..<(y * width + right)])
        }
        return output
    }

    /// The image enlarged by `factor` (> 1) with bilinear interpolation, as a renderer draws a scan at a higher
    /// resolution than it was made at.
    public func enlarged(by factor: Double) -> GrayImage {
        let newWidth = max(1, Int((Double(width) * factor).rounded())), newHeight = max(1, Int((Double(height) * factor).rounded()))
        var output = GrayImage(width: newWidth, height: newHeight)
        let scaleX = Double(width) / Double(newWidth), scaleY = Double(height) / Double(newHeight)
        // Source column pairs and weights are the same on every row.
        let columns = (0..<newWidth).map { x -> (Int, Int, Int) in
            let source = max(0, (Double(x) + 0.5) * scaleX - 0.5)
            let left = min(width - 1, Int(source))
            return (left, min(width - 1, left + 1), Int((source - Double(left)) * 256))
        }
        pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<newHeight {
                    let sourceY = max(0, (Double(y) + 0.5) * scaleY - 0.5)
                    let top = min(height - 1, Int(sourceY)), bottom = min(height - 1, top + 1)
                    let wy = Int((sourceY - Double(top)) * 256)
                    for (x, (left, right, wx)) in columns.enumerated() {
                        let upper = Int(source[top * width + left]) * (256 - wx) + Int(source[top * width + right]) * wx
                        let lower = Int(source[bottom * width + left]) * (256 - wx) + Int(source[bottom * width + right]) * wx
                        target[y * newWidth + x] = UInt8((upper * (256 - wy) + lower * wy) >> 16)
                    }
                }
            }
        }
        return output
    }

    /// The image turned by a multiple of 90° clockwise (for pages scanned sideways or upside down).
    public func rotated(quarterTurns: Int) -> GrayImage {
        let turns = ((quarterTurns % 4) + 4) % 4
        guard turns != 0 else { return self }
        let outWidth = turns == 2 ? width : height, outHeight = turns == 2 ? height : width
        var output = GrayImage(width: outWidth, height: outHeight)
        for y in 0..<height {
            for x in 0..<width {
                let (nx, ny): (Int, Int) = switch turns {
                case 1: (height - 1 - y, x)
                case 2: (width - 1 - x, height - 1 - y)
                default: (y, width - 1 - x)
                }
                output.pixels[ny * outWidth + nx] = pixels[y * width + x]
            }
        }
        return output
    }
}

extension GrayImage {
    /// Each pixel replaced by the median of its 3 × 3 neighbourhood: removes scanner speckle while keeping edges.
    public func medianFiltered() -> GrayImage {
        #if DEBUG
        // Unoptimised, the generic SIMD operations are many times slower than the scalar network.
        medianFiltered(sixteenAtATime: false)
        #else
        medianFiltered(sixteenAtATime: true)
        #endif
    }

    /// The median filter sixteen pixels at a time (the exchange network as vector minima and maxima), each row's
    /// last few one by one — or every pixel one by one. Both give the same image.
    func medianFiltered(sixteenAtATime: Bool) -> GrayImage {
        guard width >= 3, height >= 3 else { return self }
        var output = self
        let width = self.width
        pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                let from = UnsafeRawPointer(source.baseAddress!), to = UnsafeMutableRawPointer(target.baseAddress!)
                for y in 1..<(height - 1) {
                    let above = (y - 1) * width, row = y * width, below = (y + 1) * width
                    var x = 1
                    while sixteenAtATime, x + 16 <= width - 1 {
                        @inline(__always) func load(_ offset: Int) -> SIMD16<UInt8> {
                            from.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                        }
                        let median = Self.median9(load(above + x - 1), load(above + x), load(above + x + 1),
                                                  load(row + x - 1), load(row + x), load(row + x + 1),
                                                  load(below + x - 1), load(below + x), load(below + x + 1))
                        to.storeBytes(of: median, toByteOffset: row + x, as: SIMD16<UInt8>.self)
                        x += 16
                    }
                    while x < width - 1 {
                        target[row + x] = Self.median9(
                            source[above + x - 1], source[above + x], source[above + x + 1],
                            source[row + x - 1], source[row + x], source[row + x + 1],
                            source[below + x - 1], source[below + x], source[below + x + 1])
                        x += 1
                    }
                }
            }
        }
        return output
    }

    /// `median9` over sixteen lanes at once: each compare-and-swap is a lane-wise minimum and maximum.
    @inline(__always)
    private static func median9(_ a0: SIMD16<UInt8>, _ a1: SIMD16<UInt8>, _ a2: SIMD16<UInt8>, _ a3: SIMD16<UInt8>,
                                _ a4: SIMD16<UInt8>, _ a5: SIMD16<UInt8>, _ a6: SIMD16<UInt8>, _ a7: SIMD16<UInt8>,
                                _ a8: SIMD16<UInt8>) -> SIMD16<UInt8> {
        var p = (a0, a1, a2, a3, a4, a5, a6, a7, a8)
        @inline(__always) func sort(_ a: inout SIMD16<UInt8>, _ b: inout SIMD16<UInt8>) {
            let low = pointwiseMin(a, b)
            b = pointwiseMax(a, b)
            a = low
        }
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.1); sort(&p.3, &p.4); sort(&p.6, &p.7)
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.3); sort(&p.5, &p.8); sort(&p.4, &p.7)
        sort(&p.3, &p.6); sort(&p.1, &p.4); sort(&p.2, &p.5)
        sort(&p.4, &p.7); sort(&p.4, &p.2); sort(&p.6, &p.4)
        sort(&p.4, &p.2)
        return p.4
    }

    /// The median of nine values by a fixed exchange network (19 compare-and-swaps; Paeth's opt_med9).
    @inline(__always)
    private static func median9(_ a0: UInt8, _ a1: UInt8, _ a2: UInt8, _ a3: UInt8, _ a4: UInt8, _ a5: UInt8,
                                _ a6: UInt8, _ a7: UInt8, _ a8: UInt8) -> UInt8 {
        var p = (a0, a1, a2, a3, a4, a5, a6, a7, a8)
        @inline(__always) func sort(_ a: inout UInt8, _ b: inout UInt8) { if a > b { swap(&a, &b) } }
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.1); sort(&p.3, &p.4); sort(&p.6, &p.7)
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.3); sort(&p.5, &p.8); sort(&p.4, &p.7)
        sort(&p.3, &p.6); sort(&p.1, &p.4); sort(&p.2, &p.5)
        sort(&p.4, &p.7); sort(&p.4, &p.2); sort(&p.6, &p.4)
        sort(&p.4, &p.2)
        return p.4
    }
}

extension GrayImage {
    /// The image with solid dark areas painted white: every pixel whose `window` × `window` neighbourhood is all
    /// dark, grown back to the area's edges. Text strokes are far thinner than `window`, so only filled blocks go —
    /// redaction boxes, which a recogniser would otherwise read as 国 or 田, and filled logos.
    public func erasingSolidAreas(window: Int) -> GrayImage {
        guard window >= 3, width > window, height > window else { return self }
        let dark = DarkPixelCounts(self)
        var output = self
        let full = Int32(window * window)
        for y in 0...(height - window) {
            for x in 0...(width - window) where dark.count(x, y, x + window, y + window) == full {
                output.fill(x0: x - 1, y0: y - 1, x1: x + window + 1, y1: y + window + 1, with: 255)
            }
        }
        return output
    }
}

extension GrayImage {
    /// The image with filled dark rectangles painted white: areas dark all over at least `window` pixels across
    /// whose bounding box is dark throughout (97 %) — a redacted copy's black boxes, which the recogniser reads as
    /// 国 or 田 and which change how its layout groups the text round them. White text on a dark band is kept:
    /// its letters leave the band's box far from all dark.
    public func erasingBlackBoxes(window: Int) -> GrayImage {
        guard window >= 3, width > window, height > window else { return self }
        let counts = DarkPixelCounts(self)
        func dark(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Int32 { counts.count(x0, y0, x1, y1) }
        // Window positions dark all over, on a grid of windows (a box at least two windows across has one).
        let step = window
        let columns = (width - window) / step + 1, rows = (height - window) / step + 1
        var solid = [Bool](repeating: false, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let x = column * step, y = row * step
                solid[row * columns + column] = dark(x, y, x + window, y + window) == Int32(window * window)
            }
        }
        var output = self
        var seen = [Bool](repeating: false, count: solid.count)
        for start in solid.indices where solid[start] && !seen[start] {
            // One area of solid windows, and its extent.
            var stack = [start], c0 = start % columns, c1 = c0, r0 = start / columns, r1 = r0
            seen[start] = true
            while let index = stack.popLast() {
                let column = index % columns, row = index / columns
                c0 = min(c0, column); c1 = max(c1, column); r0 = min(r0, row); r1 = max(r1, row)
                for (dc, dr) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                    let c = column + dc, r = row + dr
                    guard c >= 0, c < columns, r >= 0, r < rows, solid[r * columns + c], !seen[r * columns + c] else { continue }
                    seen[r * columns + c] = true
                    stack.append(r * columns + c)
                }
            }
            // Grow the extent to the box's real edges: while the next row or column is still mostly dark.
            var x0 = c0 * step, y0 = r0 * step, x1 = c1 * step + window, y1 = r1 * step + window
            while x0 > 0, dark(x0 - 1, y0, x0, y1) * 10 >= Int32(y1 - y0) * 9 { x0 -= 1 }
            while y0 > 0, dark(x0, y0 - 1, x1, y0) * 10 >= Int32(x1 - x0) * 9 { y0 -= 1 }
            while x1 < width, dark(x1, y0, x1 + 1, y1) * 10 >= Int32(y1 - y0) * 9 { x1 += 1 }
            while y1 < height, dark(x0, y1, x1, y1 + 1) * 10 >= Int32(x1 - x0) * 9 { y1 += 1 }
            // A bold letter's stem or bar is a dark rectangle too, but never two windows thick both ways.
            let area = Int32((x1 - x0) * (y1 - y0))
            guard x1 - x0 >= 2 * window, y1 - y0 >= 2 * window, dark(x0, y0, x1, y1) * 100 >= area * 97 else { continue }
            output.fill(x0: x0 - 1, y0: y0 - 1, x1: x1 + 1, y1: y1 + 1, with: 255)
        }
        return output
    }
}

/// Dark pixels (below the page's ink threshold) in any rectangle in constant time: an integral image.
struct DarkPixelCounts {
    private let sums: [Int32]
    private let stride: Int

    init(_ image: GrayImage) {
        let threshold = SkewEstimator.darkThreshold(of: image)
        let width = image.width, stride = width + 1
        var sums = [Int32](repeating: 0, count: stride * (image.height + 1))
        image.pixels.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { integral in
                for y in 0..<image.height {
                    var row: Int32 = 0
                    for x in 0..<width {
                        row += source[y * width + x] < threshold ? 1 : 0
                        integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row
                    }
                }
            }
        }
        self.sums = sums
        self.stride = stride
    }

    /// Dark pixels in x0..<x1, y0..<y1.
    @inline(__always) func count(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Int32 {
        sums[y1 * stride + x1] - sums[y0 * stride + x1] - sums[y1 * stride + x0] + sums[y0 * stride + x0]
    }
}
