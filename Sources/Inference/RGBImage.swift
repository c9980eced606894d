/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B. Grey sources have R = G = B.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "pixels must fill width × height × 3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A grey image as RGB.
    public init(width: Int, height: Int, grey: [UInt8]) {
        precondition(grey.count == width * height, "grey pixels must fill width × height")
        var rgb = [UInt8](repeating: 0, count: grey.count * 3)
        for (index, value) in grey.enumerated() {
            rgb[3 * index] = value; rgb[3 * index + 1] = value; rgb[3 * index + 2] = value
        }
        self.init(width: width, height: height, pixels: rgb)
    }

    /// The image resized to `width` × `height` by bilinear interpolation with pixel centres aligned (as PIL and
    /// OpenCV do), each channel as a float in 0…255.
    public func resizedChannels(width outWidth: Int, height outHeight: Int) -> [[Float]] {
        var channels = [[Float]](repeating: [Float](repeating: 0, count: outWidth * outHeight), count: 3)
        let scaleX = Double(width) / Double(outWidth), scaleY = Double(height) / Double(outHeight)
        // When shrinking, average over the source footprint first (a box filter), so no detail aliases.
        let source = (scaleX > 2 || scaleY > 2) ? boxShrunk(by: max(1, Int(min(scaleX, scaleY) / 2))) : self
        let sx = Double(source.width) / Double(outWidth), sy = Double(source.height) / Double(outHeight)
        source.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<outHeight {
                let fy = max(0, min(Double(source.height - 1), (Double(y) + 0.5) * sy - 0.5))
                let y0 = Int(fy), y1 = min(y0 + 1, source.height - 1), wy = Float(fy - Double(y0))
                for x in 0..<outWidth {
                    let fx = max(0, min(Double(source.width - 1), (Double(x) + 0.5) * sx - 0.5))
                    let x0 = Int(fx), x1 = min(x0 + 1, source.width - 1), wx = Float(fx - Double(x0))
                    for c in 0..<3 {
                        let a = Float(pixels[(y0 * source.width + x0) * 3 + c]), b = Float(pixels[(y0 * source.width + x1) * 3 + c])
                        let d = Float(pixels[(y1 * source.width + x0) * 3 + c]), e = Float(pixels[(y1 * source.width + x1) * 3 + c])
                        let top = a + (b - a) * wx, bottom = d + (e - d) * wx
                        channels[c][y * outWidth + x] = top + (bottom - top) * wy
                    }
                }
            }
        }
        return channels
    }

    /// The image shrunk by an integer factor, each output pixel the mean of a factor × factor block.
    func boxShrunk(by factor: Int) -> RGBImage {
        guard factor > 1 else { return self }
        let outWidth = max(1, width / factor), outHeight = max(1, height / factor)
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                for c in 0..<3 {
                    var sum = 0
                    for dy in 0..<factor { for dx in 0..<factor { sum += Int(pixels[((y * factor + dy) * width + x * factor + dx) * 3 + c]) } }
                    out[(y * outWidth + x) * 3 + c] = UInt8(sum / (factor * factor))
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }

    public func flippedHorizontally() -> RGBImage {
        var out = pixels
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 { out[(y * width + x) * 3 + c] = pixels[(y * width + (width - 1 - x)) * 3 + c] }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// The centre of the image, keeping `fraction` of each side (at least one pixel).
    public func centreCropped(keeping fraction: Double) -> RGBImage {
        let cropWidth = max(1, Int((Double(width) * fraction).rounded())), cropHeight = max(1, Int((Double(height) * fraction).rounded()))
        let left = (width - cropWidth) / 2, top = (height - cropHeight) / 2
        var out = [UInt8](repeating: 0, count: cropWidth * cropHeight * 3)
        for y in 0..<cropHeight {
            let from = ((top + y) * width + left) * 3
            out.replaceSubrange(y * cropWidth * 3..<(y + 1) * cropWidth * 3, with: pixels[from..<from + cropWidth * 3])
        }
        return RGBImage(width: cropWidth, height: cropHeight, pixels: out)
    }

    /// Every channel multiplied by `factor`, clipped to 255.
    public func brightened(by factor: Double) -> RGBImage {
        RGBImage(width: width, height: height, pixels: pixels.map { UInt8(min(255, (Double($0) * factor).rounded())) })
    }
}
