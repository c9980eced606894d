public import Foundation

/// Backbone features kept per image hash, view, backbone and preprocessing, so a second training run on the same
/// images (a new head, other settings, one more class) skips the backbone. Files are raw little-endian float32,
/// written atomically; a damaged or foreign-sized entry is ignored and recomputed.
public struct FeatureCache: Sendable {
    public let folder: URL
    private let context: String

    public init(folder: URL, backboneSHA256: String, preprocessing: Preprocessing) {
        self.folder = folder
        // Sorted keys: JSONEncoder's key order otherwise changes from one process to the next.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let spec = (try? encoder.encode(preprocessing)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        context = "\(backboneSHA256)|\(spec)|\(BackboneFeatures.layout.joined(separator: ";"))"
    }

    func path(imageSHA256: String, view: ImageView) -> URL {
        let key = sha256Hex(Data("\(context)|\(imageSHA256)|\(view.rawValue)".utf8))
        return folder.appendingPathComponent(String(key.prefix(2))).appendingPathComponent("\(key).f32")
    }

    public func features(imageSHA256: String, view: ImageView, count: Int) -> [Float]? {
        guard let data = FileManager.default.contents(atPath: path(imageSHA256: imageSHA256, view: view).path),
              data.count == count * 4 else { return nil }
        return data.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
    }

    public func store(_ features: [Float], imageSHA256: String, view: ImageView) throws {
        let url = path(imageSHA256: imageSHA256, view: view)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var data = Data(capacity: features.count * 4)
        for value in features { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try data.write(to: url, options: .atomic)
    }
}
