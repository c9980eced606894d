public import DICOM
import Foundation

/// The first frame of a DICOM image as 8-bit pixels for a viewer or a classifier: grey images through the file's
/// own window (Window Center/Width after Rescale Slope/Intercept) or, without one, stretched from darkest to
/// brightest; MONOCHROME1 inverted; RGB kept as RGB.
public struct DisplayFrame: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// RGB interleaved, 3 bytes per pixel.
    public var rgb: [UInt8]

    /// - Throws: ``DisplayFrameError`` for compressed or unsupported pixel data, or none.
    public init(_ file: DICOMFile) throws(DisplayFrameError) {
        let dataset = file.dataset
        guard let element = dataset[.pixelData] else { throw DisplayFrameError("the file has no pixel data") }
        if case .fragments = element.value {
            throw DisplayFrameError("compressed pixel data (\(file.transferSyntax.uid)) is not decoded; send uncompressed DICOM")
        }
        guard let frames = PixelFrames(dataset, bigEndian: file.transferSyntax.isBigEndian) else {
            throw DisplayFrameError("the pixel data layout is not supported (8- or 16-bit, 1 or 3 samples)")
        }
        let bytes = element.bytes
        width = frames.columns
        height = frames.rows
        if frames.samples == 3 {
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            for row in 0..<height {
                for column in 0..<width {
                    for sample in 0..<3 {
                        let value = frames.value(bytes, at: frames.offset(frame: 0, row: row, column: column, sample: sample))
                        rgb[(row * width + column) * 3 + sample] = UInt8(clamping: frames.bytesPerSample == 2 ? value >> 8 : value)
                    }
                }
            }
            self.rgb = rgb
            return
        }
        let slope = Self.decimal(dataset, Tag(0x0028, 0x1053)) ?? 1, intercept = Self.decimal(dataset, Tag(0x0028, 0x1052)) ?? 0
        var values = [Double](repeating: 0, count: width * height)
        for row in 0..<height {
            for column in 0..<width {
                values[row * width + column] = Double(frames.value(bytes, at: frames.offset(frame: 0, row: row, column: column, sample: 0))) * slope + intercept
            }
        }
        let low: Double, high: Double
        if let centre = Self.decimal(dataset, Tag(0x0028, 0x1050)), let windowWidth = Self.decimal(dataset, Tag(0x0028, 0x1051)), windowWidth > 1 {
            (low, high) = (centre - 0.5 - (windowWidth - 1) / 2, centre - 0.5 + (windowWidth - 1) / 2)
        } else {
            (low, high) = (values.min() ?? 0, values.max() ?? 1)
        }
        let span = max(high - low, 1e-9)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for (i, value) in values.enumerated() {
            var level = UInt8(max(0, min(255, ((value - low) / span * 255).rounded())))
            if frames.monochrome1 { level = 255 - level }
            rgb[3 * i] = level; rgb[3 * i + 1] = level; rgb[3 * i + 2] = level
        }
        self.rgb = rgb
    }

    /// The first value of a DS element (multi-valued windows list several; the first is the default).
    static func decimal(_ dataset: Dataset, _ tag: Tag) -> Double? {
        guard let text = dataset[tag]?.asciiValue.split(separator: "\\").first else { return nil }
        return Double(text.trimmingCharacters(in: .whitespaces))
    }
}

public struct DisplayFrameError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
