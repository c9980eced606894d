import Foundation
import Inference
import Testing

@Suite struct FeatureCacheTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("features-\(UUID().uuidString)")

    @Test func aStoredVectorIsAHitForTheSameImageViewAndBackboneOnly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = FeatureCache(folder: folder, backboneSHA256: "aa", preprocessing: .efficientNetLite0)
        try cache.store([1.5, -2, 0.25], imageSHA256: "img1", view: .original)
        #expect(cache.features(imageSHA256: "img1", view: .original, count: 3) == [1.5, -2, 0.25])
        #expect(cache.features(imageSHA256: "img1", view: .flipped, count: 3) == nil)
        #expect(cache.features(imageSHA256: "img2", view: .original, count: 3) == nil)
        let otherBackbone = FeatureCache(folder: folder, backboneSHA256: "bb", preprocessing: .efficientNetLite0)
        #expect(otherBackbone.features(imageSHA256: "img1", view: .original, count: 3) == nil)
        let otherSize = FeatureCache(folder: folder, backboneSHA256: "aa", preprocessing: Preprocessing(size: 160))
        #expect(otherSize.features(imageSHA256: "img1", view: .original, count: 3) == nil)
    }

    @Test func anEntryOfTheWrongLengthIsAMiss() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = FeatureCache(folder: folder, backboneSHA256: "aa", preprocessing: .efficientNetLite0)
        try cache.store([1, 2, 3], imageSHA256: "img", view: .original)
        #expect(cache.features(imageSHA256: "img", view: .original, count: 4) == nil)
    }
}
