import Foundation
import Inference
import Testing

@Suite struct ModelStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")

    static let head = SoftmaxHead(classes: ["a", "b"], featureMean: [0, 1], featureScale: [1, 2], weights: [[1, -1], [-1, 1]], bias: [0, 0.5])

    static var card: ModelCard {
        ModelCard(base: "efficientnet-lite0", classes: ["a", "b"], counts: ["a": .init(training: 8, validation: 2), "b": .init(training: 8, validation: 2)],
                  datasetSHA256: "00", removedImages: [:], imbalance: 1, classWeights: ["a": 1, "b": 1],
                  validation: ClassificationMetrics(classes: ["a", "b"], truth: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]]),
                  trainingSeconds: 1, featureSeconds: 2, epochs: 3, bestEpoch: 2, views: [.original], settings: .init())
    }

    func save(_ store: ModelStore, name: String = "cells") throws -> ModelManifest {
        try store.save(name: name, head: Self.head, views: [.original], card: Self.card, backboneSHA256: "feed", preprocessing: .efficientNetLite0)
    }

    @Test func eachSaveIsANewVersionAndTheLatestLoadsByDefault() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(root: root)
        #expect(try save(store).version == 1)
        #expect(try save(store).version == 2)
        #expect(store.versions(of: "cells") == [1, 2])
        #expect(store.names() == ["cells"])
        let (manifest, head) = try store.load(name: "cells")
        #expect(manifest.version == 2 && manifest.backboneSHA256 == "feed" && manifest.classes == ["a", "b"])
        #expect(head == Self.head)
        #expect(try store.load(name: "cells", version: 1).manifest.version == 1)
    }

    @Test func anAlteredHeadIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(root: root)
        _ = try save(store)
        let headFile = root.appendingPathComponent("cells/1/head.json")
        var text = try String(contentsOf: headFile, encoding: .utf8)
        text = text.replacingOccurrences(of: "-1", with: "-2")
        try text.write(to: headFile, atomically: true, encoding: .utf8)
        #expect { try store.load(name: "cells") } throws: { "\($0)".contains("does not match") }
    }

    @Test(arguments: ["../escape", "", "a/b", ".hidden", String(repeating: "x", count: 65)])
    func aNameThatIsNotAPlainWordIsRefused(name: String) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: ModelStoreError.self) { try save(ModelStore(root: root), name: name) }
    }

    @Test func aMissingModelOrVersionSaysWhatExists() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(root: root)
        #expect { try store.load(name: "nothing") } throws: { "\($0)".contains("no model named nothing") }
        _ = try save(store)
        #expect { try store.load(name: "cells", version: 7) } throws: { "\($0)".contains("versions: 1") }
    }

    @Test func aDeletedVersionLeavesATombstoneAndItsNumberIsNeverReused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(root: root)
        _ = try save(store)
        _ = try save(store)
        try store.delete(name: "cells", version: 2, by: "admin")
        #expect(store.versions(of: "cells") == [1])
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("cells/2/deleted.json").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("cells/2/head.json").path))
        #expect(try store.load(name: "cells").manifest.version == 1)
        #expect(try save(store).version == 3)
        #expect { try store.delete(name: "cells", version: 2, by: "admin") } throws: { "\($0)".contains("no model cells@2") }
    }
}
