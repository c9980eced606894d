import DICOM
import DICOMDeidentification
public import Inference

/// What the classifiers read: DICOM (first frame, windowed, decoded in process by MedLocal's own reader) and
/// everything the wired-in image decoder reads (PNG, JPEG, BMP, TIFF through Leptonica).
public struct ClassifierImageDecoder: ColorImageDecoder {
    public let images: any ColorImageDecoder

    public init(images: any ColorImageDecoder) { self.images = images }

    public func decodeColor(_ data: [UInt8]) throws -> RGBImage {
        guard Self.isDICOM(data) else { return try images.decodeColor(data) }
        do {
            let frame = try DisplayFrame(DICOMReader().read(data))
            return RGBImage(width: frame.width, height: frame.height, pixels: frame.rgb)
        } catch {
            throw ImageFileError("DICOM: \(error)")
        }
    }

    /// Part 10 files say "DICM" after their 128-byte preamble.
    static func isDICOM(_ data: [UInt8]) -> Bool {
        data.count > 132 && data[128] == 0x44 && data[129] == 0x49 && data[130] == 0x43 && data[131] == 0x4D
    }
}
