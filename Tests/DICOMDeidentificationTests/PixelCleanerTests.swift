@testable import DICOMDeidentification
import Core
import DICOM
import DocumentsTesseract
import Foundation
import Testing
import TestSupport

private typealias Tag = DICOM.Tag

@Suite("Clean Pixel Data")
struct PixelCleanerTests {
    /// A 64×64 16-bit MONOCHROME2 image: a dim gradient with a saturated block where text would be.
    private func dataset(bigEndian: Bool = false) -> Dataset {
        var pixels: [UInt8] = []
        for y in 0..<64 {
            for x in 0..<64 {
                let value: UInt16 = (x < 30 && y < 10 && (x + y) % 3 == 0) ? 4095 : UInt16(100 + x + y)
                pixels += bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
            }
        }
        func us(_ tag: Tag, _ value: UInt16) -> DataElement {
            DataElement(tag: tag, vr: .US, value: .bytes(bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]))
        }
        var dataset = Dataset()
        dataset[Tag(0x0028, 0x0002)] = us(Tag(0x0028, 0x0002), 1)
        dataset[Tag(0x0028, 0x0004)] = DataElement(tag: Tag(0x0028, 0x0004), vr: .CS, text: "MONOCHROME2")
        dataset[Tag(0x0028, 0x0010)] = us(Tag(0x0028, 0x0010), 64)
        dataset[Tag(0x0028, 0x0011)] = us(Tag(0x0028, 0x0011), 64)
        dataset[Tag(0x0028, 0x0100)] = us(Tag(0x0028, 0x0100), 16)
        dataset[.pixelData] = DataElement(tag: .pixelData, vr: .OW, value: .bytes(pixels))
        return dataset
    }

    @Test("Frames read in either byte order; blanking fills only the box with the darkest value", arguments: [false, true])
    func blank(bigEndian: Bool) throws {
        let dataset = dataset(bigEndian: bigEndian)
        let frames = try #require(PixelFrames(dataset, bigEndian: bigEndian))
        var bytes = try #require(dataset[.pixelData]).bytes
        let grey = frames.grey(bytes, frame: 0)
        #expect(grey.darkest == 101)   // (0,0) is a text pixel; (1,0) is the darkest
        #expect(grey.pixels[0] == 255)   // a saturated text pixel
        frames.blank(&bytes, frame: 0, x: 0, y: 0, width: 30, height: 10, fill: grey.darkest)
        #expect(frames.value(bytes, at: frames.offset(frame: 0, row: 0, column: 0, sample: 0)) == 101)
        #expect(frames.value(bytes, at: frames.offset(frame: 0, row: 20, column: 20, sample: 0)) == 140)
    }

    @Test("A box the recogniser cut short grows over the rest of the saturated line")
    func grow() {
        var pixels = [UInt8](repeating: 10, count: 100 * 20)
        for x in stride(from: 5, to: 80, by: 3) { for y in 4..<12 { pixels[y * 100 + x] = 255 } }
        let image = GrayImageData(width: 100, height: 20, pixels: pixels, darkest: 10)
        let grown = PixelCleaner.grow(PixelCleaner.Region(frame: 0, x: 20, y: 4, width: 20, height: 8), in: image)
        #expect(grown.x == 5 && grown.x + grown.width == 78)
    }

    @Test("Burned-in text in a dev image is found and blanked with the real OCR engine")
    func realImage() throws {
        let url = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/011_image_dfl.dcm")
        var file = try DICOMReader().read([UInt8](try Data(contentsOf: url)))
        let outcome = try PixelCleaner(ocr: TesseractOCREngine()).clean(&file.dataset, bigEndian: false)
        guard case .cleaned(let regions) = outcome else { Issue.record("pixels not checked"); return }
        // The manifest puts the text at x 1…257, y 1…25 of frame 0.
        #expect(regions.contains { $0.frame == 0 && $0.x <= 10 && $0.y <= 10 && $0.width >= 200 })
    }

    @Test("Compressed pixel data is reported as not checked")
    func compressed() throws {
        let url = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/013_JPEG2000.dcm")
        var file = try DICOMReader().read([UInt8](try Data(contentsOf: url)))
        let outcome = try PixelCleaner(ocr: TesseractOCREngine()).clean(&file.dataset, bigEndian: false)
        guard case .notChecked = outcome else { Issue.record("compressed pixels passed as checked"); return }
    }
}
