import Foundation
import Inference
import Testing
import TestSupport
import Workflows

@Suite struct ClassifierImageDecoderTests {
    /// Stands in for Leptonica: every non-DICOM file becomes a 1 × 1 image, so the test sees which path ran.
    struct OnePixelDecoder: ColorImageDecoder {
        func decodeColor(_ data: [UInt8]) throws -> RGBImage { RGBImage(width: 1, height: 1, grey: [7]) }
    }

    static let ct = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/001_CT_small.dcm")

    @Test func aDICOMFileIsDecodedInProcessToItsFirstFrame() throws {
        let image = try ClassifierImageDecoder(images: OnePixelDecoder()).decodeColor([UInt8](Data(contentsOf: Self.ct)))
        #expect(image.width > 1 && image.height > 1)
        // A CT slice through its window: dark air, bright bone, and grey between.
        let levels = Set(stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] })
        #expect(levels.count > 50)
        #expect(stride(from: 0, to: image.pixels.count, by: 3).allSatisfy { image.pixels[$0] == image.pixels[$0 + 1] })
    }

    @Test func otherFilesGoToTheImageDecoderAndDamagedDICOMIsAClearError() throws {
        let decoder = ClassifierImageDecoder(images: OnePixelDecoder())
        #expect(try decoder.decodeColor(Array("\u{89}PNG".utf8)).width == 1)
        let truncated = Array(try Data(contentsOf: Self.ct).prefix(400))
        #expect { try decoder.decodeColor(truncated) } throws: { "\($0)".hasPrefix("DICOM:") }
    }
}
