import Foundation
import Inference

/// Decodes the tests' own tiny image format: "IMG" width height value, a flat grey image. Anything else is not
/// an image, which is what the dataset checks need to see.
struct FakeDecoder: ColorImageDecoder {
    func decodeColor(_ data: [UInt8]) throws -> RGBImage {
        guard data.count == 6, data.starts(with: Array("IMG".utf8)) else { throw ImageFileError("not an image") }
        let width = Int(data[3]), height = Int(data[4])
        guard width > 0, height > 0 else { throw ImageFileError("the image has no pixels") }
        return RGBImage(width: width, height: height, grey: [UInt8](repeating: data[5], count: width * height))
    }
}

/// A temporary dataset folder, removed when the test ends.
final class DatasetFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `DATASET/<class>/<file>`; `value` makes the image's bytes (and so its hash) distinct.
    func add(_ className: String, _ file: String, side: UInt8 = 32, value: UInt8) throws {
        try write(className, file, Data(Array("IMG".utf8) + [side, side, value]))
    }

    func write(_ className: String, _ file: String, _ data: Data) throws {
        let folder = url.appendingPathComponent(className)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent(file))
    }

    func addClass(_ className: String, count: Int, from start: UInt8) throws {
        for i in 0..<count { try add(className, "\(i).img", value: start + UInt8(i)) }
    }
}
