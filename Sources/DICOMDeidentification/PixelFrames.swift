public import Core
import Foundation
public import DICOM

/// Native (uncompressed) pixel data seen as frames of samples: enough to show them to OCR and to blank boxes.
struct PixelFrames {
    var rows: Int
    var columns: Int
    var samples: Int
    var bytesPerSample: Int
    var frames: Int
    var planar: Bool
    var signed: Bool
    var monochrome1: Bool
    var bigEndian: Bool

    /// Nil when the dataset has no native pixel data this can read (encapsulated data, odd bit depths).
    init?(_ dataset: Dataset, bigEndian: Bool) {
        func number(_ tag: Tag) -> Int? {
            guard let element = dataset[tag] else { return nil }
            if element.vr == .IS || element.vr == .DS { return Int(element.asciiValue.trimmingCharacters(in: .whitespaces)) }
            let bytes = element.bytes
            guard bytes.count >= 2 else { return nil }
            return bigEndian ? Int(bytes[0]) << 8 | Int(bytes[1]) : Int(bytes[1]) << 8 | Int(bytes[0])
        }
        guard let pixel = dataset[.pixelData], case .bytes = pixel.value,
              let rows = number(Tag(0x0028, 0x0010)), let columns = number(Tag(0x0028, 0x0011)),
              let bits = number(Tag(0x0028, 0x0100)), bits == 8 || bits == 16, rows > 0, columns > 0 else { return nil }
        self.rows = rows
        self.columns = columns
        samples = number(Tag(0x0028, 0x0002)) ?? 1
        bytesPerSample = bits / 8
        frames = max(1, number(Tag(0x0028, 0x0008)) ?? 1)
        planar = (number(Tag(0x0028, 0x0006)) ?? 0) == 1
        signed = (number(Tag(0x0028, 0x0103)) ?? 0) == 1
        monochrome1 = dataset[Tag(0x0028, 0x0004)]?.asciiValue == "MONOCHROME1"
        self.bigEndian = bigEndian
        guard samples == 1 || samples == 3, pixel.bytes.count >= frameSize * frames else { return nil }
    }

    var frameSize: Int { rows * columns * samples * bytesPerSample }

    /// Byte offset of one sample.
    func offset(frame: Int, row: Int, column: Int, sample: Int) -> Int {
        let pixel = row * columns + column
        let index = planar ? sample * rows * columns + pixel : pixel * samples + sample
        return frame * frameSize + index * bytesPerSample
    }

    func value(_ bytes: [UInt8], at offset: Int) -> Int {
        guard bytesPerSample == 2 else { return Int(bytes[offset]) }
        let raw = bigEndian ? UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) : UInt16(bytes[offset + 1]) << 8 | UInt16(bytes[offset])
        return signed ? Int(Int16(bitPattern: raw)) : Int(raw)
    }

    /// One frame as 8-bit grey, stretched from its darkest to its brightest sample (MONOCHROME1 inverted), so
    /// burned-in annotations — usually the brightest pixels — stand out.
    func grey(_ bytes: [UInt8], frame: Int) -> GrayImageData {
        var values = [Int](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                var sum = 0
                for sample in 0..<samples { sum += value(bytes, at: offset(frame: frame, row: row, column: column, sample: sample)) }
                values[row * columns + column] = sum / samples
            }
        }
        let low = values.min() ?? 0, high = values.max() ?? 1
        let span = Double(max(1, high - low))
        let pixels = values.map { value -> UInt8 in
            let level = UInt8(max(0, min(255, (Double(value - low) / span * 255).rounded())))
            return monochrome1 ? 255 - level : level
        }
        return GrayImageData(width: columns, height: rows, pixels: pixels, darkest: low)
    }

    /// Sets every sample of the box (clamped to the image) to `fill`.
    func blank(_ bytes: inout [UInt8], frame: Int, x: Int, y: Int, width: Int, height: Int, fill: Int) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(columns, x + width), y1 = min(rows, y + height)
        guard x0 < x1, y0 < y1 else { return }
        let raw = UInt16(truncatingIfNeeded: fill)
        for row in y0..<y1 {
            for column in x0..<x1 {
                for sample in 0..<samples {
                    let at = offset(frame: frame, row: row, column: column, sample: sample)
                    if bytesPerSample == 1 {
                        bytes[at] = UInt8(truncatingIfNeeded: fill)
                    } else if bigEndian {
                        bytes[at] = UInt8(raw >> 8); bytes[at + 1] = UInt8(raw & 0xFF)
                    } else {
                        bytes[at] = UInt8(raw & 0xFF); bytes[at + 1] = UInt8(raw >> 8)
                    }
                }
            }
        }
    }
}

struct GrayImageData {
    var width: Int
    var height: Int
    var pixels: [UInt8]
    /// The darkest stored value: what blanked boxes are filled with (background on MONOCHROME2 and RGB).
    var darkest: Int
}
