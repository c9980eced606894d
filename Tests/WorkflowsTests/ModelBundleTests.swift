import Crypto
import Foundation
import Inference
import Testing
import TestSupport
import Workflows
import ZIPFoundation

@Suite struct ModelBundleTests {
    static let backbone = Data("a stand-in for the 18 MB backbone".utf8)
    static let head = SoftmaxHead(classes: ["normal", "pneumonia"], featureMean: [0, 0], featureScale: [1, 1], weights: [[1, 0], [0, 1]], bias: [0, 0])

    /// A store with one saved version whose manifest pins ``backbone``.
    func store(in folder: URL) throws -> ModelStore {
        let store = ModelStore(root: folder.appendingPathComponent("models"))
        let metrics = ClassificationMetrics(classes: ["normal", "pneumonia"], truth: [0, 1], probabilities: [[0.8, 0.2], [0.1, 0.9]])
        let card = ModelCard(base: "efficientnet-lite0", classes: Self.head.classes, counts: [:], datasetSHA256: "d", removedImages: [:],
                             imbalance: 1, classWeights: [:], validation: metrics, trainingSeconds: 0, featureSeconds: 0, epochs: 1,
                             bestEpoch: 1, views: [.original], settings: .init())
        let digest = SHA256.hash(data: Self.backbone).map { String(format: "%02x", $0) }.joined()
        _ = try store.save(name: "pneumonia", head: Self.head, views: [.original], card: card, backboneSHA256: digest, preprocessing: .efficientNetLite0)
        return store
    }

    /// Rewrites one entry of a bundle, as an attacker (or a disk) would.
    func replace(_ entry: String, in path: URL, with data: Data) throws {
        let copy = path.deletingLastPathComponent().appendingPathComponent("rewritten.zip")
        let source = try Archive(url: path, accessMode: .read), target = try Archive(url: copy, accessMode: .create)
        for item in source {
            var bytes = Data()
            _ = try source.extract(item) { bytes.append($0) }
            let content = item.path == entry ? data : bytes
            try target.addEntry(with: item.path, type: .file, uncompressedSize: Int64(content.count)) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try FileManager.default.removeItem(at: path)
        try FileManager.default.moveItem(at: copy, to: path)
    }

    @Test func aBundleReadsBackWhenItsSignatureAndHashesHold() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = Curve25519.Signing.PrivateKey(), path = folder.appendingPathComponent("m.bundle")
        try ModelBundle.write(store(in: folder), name: "pneumonia", version: 1, backbone: Self.backbone, signingKey: key, to: path.path)
        let contents = try ModelBundle.read(path.path, trustedKey: key.publicKey)
        #expect(contents.manifest.name == "pneumonia" && contents.manifest.version == 1)
        #expect(contents.head == Self.head)
        #expect(contents.backbone == Self.backbone)
    }

    @Test(arguments: [
        ("head.json", "the head was altered"), ("backbone.onnx", "the backbone was altered"), ("manifest.json", "the manifest was altered"),
    ])
    func aTamperedBundleIsRefused(entry: String, reason: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = Curve25519.Signing.PrivateKey(), path = folder.appendingPathComponent("m.bundle")
        try ModelBundle.write(store(in: folder), name: "pneumonia", version: 1, backbone: Self.backbone, signingKey: key, to: path.path)
        var original = Data()
        let archive = try Archive(url: path, accessMode: .read)
        _ = try archive.extract(try #require(archive[entry])) { original.append($0) }
        original[original.count / 2] ^= 0x01
        try replace(entry, in: path, with: original)
        #expect { try ModelBundle.read(path.path, trustedKey: key.publicKey) } throws: { "\($0)".contains(reason) }
    }

    @Test func aBundleSignedByAnotherKeyOrWithExtraEntriesIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = Curve25519.Signing.PrivateKey(), path = folder.appendingPathComponent("m.bundle")
        try ModelBundle.write(store(in: folder), name: "pneumonia", version: 1, backbone: Self.backbone, signingKey: key, to: path.path)
        #expect { try ModelBundle.read(path.path, trustedKey: Curve25519.Signing.PrivateKey().publicKey) } throws: { "\($0)".contains("another key") }
        let archive = try Archive(url: path, accessMode: .update)
        let extra = Data("#!/bin/sh".utf8)
        try archive.addEntry(with: "run.sh", type: .file, uncompressedSize: Int64(extra.count)) { position, size in
            extra.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect { try ModelBundle.read(path.path, trustedKey: key.publicKey) } throws: { "\($0)".contains("unexpected entry") }
        try Data("not a zip".utf8).write(to: path)
        #expect(throws: ModelBundleError.self) { try ModelBundle.read(path.path, trustedKey: key.publicKey) }
    }

    @Test func aBundleIsOnlyWrittenWithTheBackboneItsModelWasTrainedOn() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ModelStoreError.self) {
            try ModelBundle.write(store(in: folder), name: "pneumonia", version: 1, backbone: Data("another".utf8),
                                  signingKey: Curve25519.Signing.PrivateKey(), to: folder.appendingPathComponent("m.bundle").path)
        }
    }
}
