public import Foundation
import Crypto

/// What a model version's folder holds besides its head: enough to rebuild the exact inference pipeline.
public struct ModelManifest: Sendable, Equatable, Codable {
    /// A model trained here: the installed backbone's pooled features, then `head.json`.
    public static let currentFormat = "medlocal-image-classifier/1"
    /// An externally trained ONNX classifier: `model.onnx` (whose SHA-256 stands where the backbone's does), then
    /// the identity `head.json` over its output. A build that predates uploads refuses it by its format.
    public static let uploadedFormat = "medlocal-onnx-classifier/1"
    public static let formats = [currentFormat, uploadedFormat]
    /// The network file of an uploaded version.
    public static let uploadedModelFile = "model.onnx"

    public var format: String
    public var name: String
    public var version: Int
    public var base: String
    public var backboneSHA256: String
    public var preprocessing: Preprocessing
    public var features: [String]
    public var classes: [String]
    public var views: [ImageView]
    /// SHA-256 of every other file of the version, by name.
    public var files: [String: String]
    public var created: Date
    public var card: ModelCard
    /// The output an uploaded classifier's scores come from; nil for a model trained here.
    public var output: ClassifierOutput?

    /// An externally trained classifier (its network is `model.onnx`), not one trained here on the backbone.
    public var isUploaded: Bool { output != nil }

    /// Whether this build reads the manifest: a known format, and an output exactly when it is an upload.
    public var isReadable: Bool { Self.formats.contains(format) && isUploaded == (format == Self.uploadedFormat) }

    /// The base name an uploaded model records: it was trained elsewhere, on no backbone of this build.
    public static let externalBase = "external"

    enum CodingKeys: String, CodingKey {
        case format, name, version, base, preprocessing, features, classes, views, files, created, card, output
        case backboneSHA256 = "backbone_sha256"
    }
}

/// Model versions on disk: `<root>/<name>/<version>/manifest.json` and `head.json`. Versions count up from 1
/// and are never overwritten or reused; a version is written into a temporary folder and renamed into place whole.
/// A deleted version leaves a tombstone (`<version>/deleted.json`: when and by whom) so its number stays taken.
public struct ModelStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public static func validate(name: String) throws(ModelStoreError) {
        guard name.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/) != nil else {
            throw ModelStoreError("\"\(name)\" is not a model name (letters, digits, '.', '_' and '-', up to 64, starting with a letter or digit)")
        }
    }

    public func versions(of name: String) -> [Int] {
        let folder = root.appendingPathComponent(name)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.compactMap { Int($0) }.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/manifest.json").path) }.sorted()
    }

    /// Every version number ever used by `name`, deleted ones included.
    func numbersTaken(by name: String) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)) ?? []
        return entries.compactMap { Int($0) }.sorted()
    }

    /// Removes a version's files for good, leaving a tombstone that keeps its number from being reused. The files
    /// are renamed away first, so a reader sees the whole version or none of it.
    public func delete(name: String, version: Int, by user: String, now: Date = Date()) throws {
        try Self.validate(name: name)
        let folder = root.appendingPathComponent("\(name)/\(version)")
        guard versions(of: name).contains(version) else { throw ModelStoreError("no model \(name)@\(version)", kind: .notFound) }
        let doomed = root.appendingPathComponent("\(name)/.deleting-\(version)-\(UUID().uuidString)")
        guard rename(folder.path, doomed.path) == 0 else { throw ModelStoreError("cannot remove \(name)@\(version) (\(String(cString: strerror(errno))))") }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let tombstone = ["deleted": ISO8601DateFormatter().string(from: now), "by": user]
        try JSONEncoder().encode(tombstone).write(to: folder.appendingPathComponent("deleted.json"))
        try FileManager.default.removeItem(at: doomed)
    }

    public func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.filter { !$0.hasPrefix(".") && !versions(of: $0).isEmpty }.sorted()
    }

    /// Saves a trained head as the next version of `name` and returns its manifest.
    public func save(name: String, head: SoftmaxHead, views: [ImageView], card: ModelCard, backboneSHA256: String,
                     preprocessing: Preprocessing, now: Date = Date()) throws -> ModelManifest {
        let headData = try Self.encoder.encode(head)
        return try commit(name: name, files: ["head.json": headData]) { version in
            ModelManifest(
                format: ModelManifest.currentFormat, name: name, version: version, base: card.base, backboneSHA256: backboneSHA256,
                preprocessing: preprocessing, features: BackboneFeatures.layout, classes: head.classes, views: views,
                files: ["head.json": Self.sha256(headData)], created: now, card: card)
        }
    }

    /// Saves an externally trained classifier (already checked) as the next version of `name`: its ONNX file
    /// and the identity head over `output`, in the same layout as a trained version.
    public func saveUploaded(name: String, model: Data, classes: [String], output: ClassifierOutput, card: ModelCard,
                             preprocessing: Preprocessing, now: Date = Date()) throws -> ModelManifest {
        let head = SoftmaxHead.identity(classes: classes)
        let headData = try Self.encoder.encode(head)
        let modelSHA256 = Self.sha256(model)
        return try commit(name: name, files: ["head.json": headData, ModelManifest.uploadedModelFile: model]) { version in
            ModelManifest(
                format: ModelManifest.uploadedFormat, name: name, version: version, base: ModelManifest.externalBase,
                backboneSHA256: modelSHA256, preprocessing: preprocessing, features: ["output \(output.name): \(output.kind.rawValue)"],
                classes: classes, views: [.original], files: ["head.json": Self.sha256(headData), ModelManifest.uploadedModelFile: modelSHA256],
                created: now, card: card, output: output)
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Writes `files` and the manifest for the next free version into a staging folder and renames it into place.
    private func commit(name: String, files: [String: Data], manifest: (Int) -> ModelManifest) throws -> ModelManifest {
        try Self.validate(name: name)
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for _ in 0..<100 {
            let version = (numbersTaken(by: name).last ?? 0) + 1
            let manifest = manifest(version)
            let staging = folder.appendingPathComponent(".staging-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            for (file, data) in files { try data.write(to: staging.appendingPathComponent(file)) }
            try Self.encoder.encode(manifest).write(to: staging.appendingPathComponent("manifest.json"))
            // rename(2) refuses an existing non-empty target, so two trainings racing cannot share a version.
            if rename(staging.path, folder.appendingPathComponent("\(version)").path) == 0 { return manifest }
            try? FileManager.default.removeItem(at: staging)
        }
        throw ModelStoreError("cannot claim a new version of \(name)")
    }

    /// The ONNX file of an uploaded version, checked against its manifest.
    public func uploadedModel(_ manifest: ModelManifest) throws -> Data {
        let path = root.appendingPathComponent("\(manifest.name)/\(manifest.version)/\(ModelManifest.uploadedModelFile)").path
        guard manifest.format == ModelManifest.uploadedFormat, let data = FileManager.default.contents(atPath: path),
              Self.sha256(data) == manifest.files[ModelManifest.uploadedModelFile] else {
            throw ModelStoreError("\(manifest.name)@\(manifest.version): \(ModelManifest.uploadedModelFile) is missing or does not match its manifest's SHA-256 (the model was altered)")
        }
        return data
    }

    /// The manifest and head of `name` at `version` (the latest when nil), with the head checked against its hash.
    public func load(name: String, version: Int? = nil) throws -> (manifest: ModelManifest, head: SoftmaxHead) {
        try Self.validate(name: name)
        guard let chosen = version ?? versions(of: name).last else { throw ModelStoreError("no model named \(name) (see `medlocal models list`)") }
        let folder = root.appendingPathComponent("\(name)/\(chosen)")
        guard let manifestData = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else {
            throw ModelStoreError("\(name) has no version \(chosen) (versions: \(versions(of: name).map(String.init).joined(separator: ", ")))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest = try decoder.decode(ModelManifest.self, from: manifestData)
        guard manifest.isReadable else { throw ModelStoreError("\(name)@\(chosen) has format \(manifest.format), which this build does not read") }
        guard let headData = FileManager.default.contents(atPath: folder.appendingPathComponent("head.json").path),
              Self.sha256(headData) == manifest.files["head.json"] else {
            throw ModelStoreError("\(name)@\(chosen): head.json is missing or does not match its manifest's SHA-256 (the model was altered)")
        }
        let head = try decoder.decode(SoftmaxHead.self, from: headData)
        guard head.classes == manifest.classes else { throw ModelStoreError("\(name)@\(chosen): the head's classes differ from its manifest's") }
        return (manifest, head)
    }

    static func sha256(_ data: Data) -> String { sha256Hex(data) }
}

public struct ModelStoreError: Error, CustomStringConvertible, Equatable {
    /// What kind of refusal, so that a shell can answer it (the server: 404, 409, 422) without reading the message.
    public enum Kind: Sendable, Equatable {
        /// The model or version does not exist.
        case notFound
        /// A registry rule stands in the way: an alias serves the version, or it is not deprecated yet.
        case conflict
        /// Anything else: a bad name, reason or file.
        case invalid
    }

    public var description: String
    public var kind: Kind
    public init(_ description: String, kind: Kind = .invalid) {
        self.description = description
        self.kind = kind
    }
}

/// The registry's state beside the files, kept in the database so that each change is one durable, audited step:
/// aliases (`production`, `candidate`) pointing at versions, and versions deprecated with a reason.
public protocol ModelAliasStore: Sendable {
    func setAlias(_ alias: String, model: String, version: Int, by user: String) throws
    /// alias → version for one model.
    func aliases(model: String) throws -> [String: Int]
    /// Marks a version deprecated: it still classifies, but is no longer what the bare name means, cannot get an
    /// alias, and clients are told.
    func deprecate(model: String, version: Int, reason: String, by user: String) throws
    /// version → reason, for the deprecated versions of one model.
    func deprecations(model: String) throws -> [Int: String]
    /// Drops what the database holds about a deleted version.
    func forget(model: String, version: Int) throws
}
