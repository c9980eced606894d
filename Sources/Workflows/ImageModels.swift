import Foundation
public import Inference

/// The image-classification adapters the executable wires in (Workflows never imports an adapter): how to load
/// ONNX Runtime and how to decode image files.
public struct ImageModels: Sendable {
    public var loadRuntime: (@Sendable () throws -> any ModelRuntime)?
    public var decoder: (any ColorImageDecoder)?

    public init(loadRuntime: (@Sendable () throws -> any ModelRuntime)? = nil, decoder: (any ColorImageDecoder)? = nil) {
        self.loadRuntime = loadRuntime
        self.decoder = decoder
    }

    @TaskLocal public static var current = ImageModels()

    /// The pretrained backbones this build knows, by the name manifests record.
    public static let bases = ["efficientnet-lite0"]

    /// The wired-in decoder, with DICOM (first frame, windowed) in front of it.
    public func requireDecoder() throws -> any ColorImageDecoder {
        guard let decoder else { throw InputError(.unreadable, "this build has no image decoder wired in") }
        return ClassifierImageDecoder(images: decoder)
    }

    /// The installed backbone, loaded, with the SHA-256 of its file (which every manifest records).
    public func backbone(_ base: String = "efficientnet-lite0", threads: Int = 0) throws -> (features: BackboneFeatures, sha256: String) {
        guard Self.bases.contains(base) else {
            throw InputError(.unreadable, "unknown base model \(base) (this build has: \(Self.bases.joined(separator: ", ")))")
        }
        guard let loadRuntime else { throw InputError(.unreadable, "this build has no model runtime wired in") }
        let runtime = try loadRuntime()
        let path = try InstalledFiles().locate(InstalledFiles.backbone, overriddenBy: "MEDLOCAL_BACKBONE")
        guard let data = FileManager.default.contents(atPath: path.path) else { throw InputError(.unreadable, "\(path.path): cannot be read") }
        let digest = sha256Hex(data)
        return (try BackboneFeatures(backbone: runtime.load(data, threads: threads)), digest)
    }
}
