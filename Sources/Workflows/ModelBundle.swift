public import Crypto
public import Foundation
public import Inference
import ZIPFoundation

/// One model version as a single signed file, for clients to download and cache: a ZIP of `manifest.json`,
/// `head.json`, `backbone.onnx` and `signature.json`. The signature is Ed25519 over the manifest's bytes, and the
/// manifest holds the SHA-256 of the head and of the backbone, so one check covers every byte that runs. An
/// uploaded classifier has the same form: its own network stands in `backbone.onnx`, its head is the identity.
public enum ModelBundle {
    public static let entries = ["manifest.json", "head.json", "backbone.onnx", "signature.json"]
    /// A bundle is a head (kilobytes) and a backbone (18 MB); anything far larger is not one.
    public static let maximumEntryBytes: UInt64 = 256 << 20

    struct Signature: Codable {
        var algorithm = "ed25519"
        /// Hex SHA-256 of the raw public key, to say which key signed.
        var publicKeySHA256: String
        var signature: String

        enum CodingKeys: String, CodingKey {
            case algorithm, signature
            case publicKeySHA256 = "public_key_sha256"
        }
    }

    public struct Contents: Sendable {
        public var manifest: ModelManifest
        public var head: SoftmaxHead
        public var backbone: Data
    }

    /// Writes `name@version` of `store` with the installed backbone into a bundle at `path` (atomically).
    public static func write(_ store: ModelStore, name: String, version: Int, backbone: Data,
                             signingKey: Curve25519.Signing.PrivateKey, to path: String) throws {
        let folder = store.root.appendingPathComponent("\(name)/\(version)")
        let manifestData = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        let (manifest, _) = try store.load(name: name, version: version)
        guard sha256(backbone) == manifest.backboneSHA256 else {
            throw ModelStoreError("\(name)@\(version) was trained on another backbone than the one given for its bundle")
        }
        let signature = Signature(publicKeySHA256: sha256(signingKey.publicKey.rawRepresentation),
                                  signature: try signingKey.signature(for: manifestData).base64EncodedString())
        let files: [String: Data] = [
            "manifest.json": manifestData,
            "head.json": try Data(contentsOf: folder.appendingPathComponent("head.json")),
            "backbone.onnx": backbone,
            "signature.json": try JSONEncoder().encode(signature),
        ]
        try AtomicFile.write(to: path) { temporary in
            let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
            for name in entries {
                let data = files[name]!
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        }
    }

    /// Reads and checks a bundle: the signature against `trustedKey`, then every file against the signed manifest.
    /// - Throws: ``ModelBundleError`` saying what does not match; nothing of a refused bundle is returned.
    public static func read(_ path: String, trustedKey: Curve25519.Signing.PublicKey) throws -> Contents {
        let files = try unpack(path)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let signature = try? decoder.decode(Signature.self, from: files["signature.json"]!), signature.algorithm == "ed25519",
              let signatureBytes = Data(base64Encoded: signature.signature) else {
            throw ModelBundleError("the bundle's signature.json is not an Ed25519 signature")
        }
        guard signature.publicKeySHA256 == sha256(trustedKey.rawRepresentation) else {
            throw ModelBundleError("the bundle is signed by another key than this server's (\(signature.publicKeySHA256.prefix(16))…)")
        }
        let manifestData = files["manifest.json"]!
        guard trustedKey.isValidSignature(signatureBytes, for: manifestData) else {
            throw ModelBundleError("the bundle's signature does not match its manifest (the manifest was altered)")
        }
        let manifest = try decoder.decode(ModelManifest.self, from: manifestData)
        guard manifest.isReadable else {
            throw ModelBundleError("the bundle's manifest has format \(manifest.format), which this build does not read")
        }
        guard sha256(files["head.json"]!) == manifest.files["head.json"] else {
            throw ModelBundleError("head.json does not match the signed manifest's SHA-256 (the head was altered)")
        }
        guard sha256(files["backbone.onnx"]!) == manifest.backboneSHA256 else {
            throw ModelBundleError("backbone.onnx does not match the signed manifest's SHA-256 (the backbone was altered)")
        }
        let head = try decoder.decode(SoftmaxHead.self, from: files["head.json"]!)
        guard head.classes == manifest.classes else { throw ModelBundleError("the head's classes differ from the manifest's") }
        return Contents(manifest: manifest, head: head, backbone: files["backbone.onnx"]!)
    }

    /// The four entries, refusing anything else: other names, missing ones, or entries larger than a model can be.
    static func unpack(_ path: String) throws -> [String: Data] {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw ModelBundleError("\(path): not a model bundle (not a readable ZIP archive)")
        }
        var files: [String: Data] = [:]
        for entry in archive {
            guard entries.contains(entry.path), files[entry.path] == nil, entry.type == .file else {
                throw ModelBundleError("\(path): unexpected entry \"\(entry.path)\" in a model bundle")
            }
            guard entry.uncompressedSize <= maximumEntryBytes else { throw ModelBundleError("\(path): \(entry.path) is larger than a model can be") }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > Int(maximumEntryBytes) { throw ModelBundleError("\(path): \(entry.path) inflates past its declared size") }
            }
            files[entry.path] = data
        }
        let missing = entries.filter { files[$0] == nil }
        guard missing.isEmpty else { throw ModelBundleError("\(path): the bundle has no \(missing.joined(separator: ", "))") }
        return files
    }

    static func sha256(_ data: Data) -> String { sha256Hex(data) }
}

public struct ModelBundleError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public import Anonymization

extension ModelBundle {
    /// The server's model-signing key: an Ed25519 key seeded by the project key's model-signing subkey.
    public static func signingKey(from key: ProjectKey) throws -> Curve25519.Signing.PrivateKey {
        try key.subkey(for: .modelSigning).withUnsafeBytes { try Curve25519.Signing.PrivateKey(rawRepresentation: Data($0)) }
    }

    /// Reads and checks a bundle signed by the project's own model-signing key.
    public static func read(_ path: String, signedWith key: ProjectKey) throws -> Contents {
        try read(path, trustedKey: signingKey(from: key).publicKey)
    }
}

extension ImageClassifierWorkflow {
    /// Writes `reference` ("name" or "name@3") as a signed bundle: with the installed backbone for a model trained
    /// here, with its own network (in the backbone's place) for an uploaded one.
    public func exportBundle(_ reference: String, to path: String, key: ProjectKey) throws -> ModelManifest {
        let (manifest, _) = try classifier(reference)
        let network: Data
        if manifest.isUploaded {
            network = try store.uploadedModel(manifest)
        } else {
            network = try Data(contentsOf: InstalledFiles().locate(InstalledFiles.backbone, overriddenBy: "MEDLOCAL_BACKBONE"))
        }
        try ModelBundle.write(store, name: manifest.name, version: manifest.version, backbone: network,
                              signingKey: ModelBundle.signingKey(from: key), to: path)
        return manifest
    }
}
