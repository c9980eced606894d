import Foundation
import Inference
import InferenceLeptonica
import InferenceONNXRuntime
import Testing

/// The converted EfficientNet-Lite0 is the ImageNet network it came from: photos of known objects get their class.
@Suite struct BackboneTests {
    static func backbone() throws -> any TensorModel {
        let path = try InstalledFiles().locate(InstalledFiles.backbone, overriddenBy: "MEDLOCAL_BACKBONE")
        return try ONNXRuntimeTests.runtime().load(Data(contentsOf: path), threads: 1)
    }

    static func photo(_ name: String) throws -> RGBImage {
        let path = try InstalledFiles().locate("sample-photos/\(name)", overriddenBy: "MEDLOCAL_SAMPLE_PHOTO")
        return try LeptonicaColorDecoder().decodeColor([UInt8](Data(contentsOf: path)))
    }

    static func topClasses(_ image: RGBImage, model: any TensorModel, count: Int = 3) throws -> [Int] {
        let logits = try model.run(Preprocessing.efficientNetLite0.tensor(for: [image]), outputs: ["logits"])[0].values
        return Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(count))
    }

    @Test func theCatPhotoIsACatAndTheCoffeePhotoIsEspresso() throws {
        let model = try Self.backbone()
        // ImageNet 281 tabby, 282 tiger cat, 283 Persian, 284 Siamese, 285 Egyptian cat; 967 espresso.
        let cat = try Self.topClasses(Self.photo("chelsea.png"), model: model)
        #expect(cat.allSatisfy { (281...285).contains($0) })
        #expect(try Self.topClasses(Self.photo("coffee.png"), model: model, count: 1) == [967])
    }

    @Test func theBackboneExposesTheStagesTheHeadIsTrainedOn() throws {
        let model = try Self.backbone()
        let features = try BackboneFeatures(backbone: model)
        let vector = try features.vectors(for: [Self.photo("chelsea.png")])[0]
        // Four stages (80, 112, 192, 320 channels) × (mean, max, 4 grid cells), then a 28 × 28 thumbnail.
        #expect(vector.count == (80 + 112 + 192 + 320) * 6 + 28 * 28)
        #expect(vector.allSatisfy { $0.isFinite })
        #expect(Set(vector.prefix(80)).count > 40)
    }

    @Test func featuresAreTheSameForABatchAndForOneImage() throws {
        let features = try BackboneFeatures(backbone: Self.backbone())
        let cat = try Self.photo("chelsea.png"), coffee = try Self.photo("coffee.png")
        let batch = try features.vectors(for: [cat, coffee])
        let single = try features.vectors(for: [coffee])[0]
        #expect(zip(batch[1], single).allSatisfy { abs($0 - $1) < 1e-3 })
    }
}

@Suite struct LeptonicaColorDecoderTests {
    @Test func aPNGDecodesToItsSizeInColour() throws {
        let image = try BackboneTests.photo("chelsea.png")
        #expect(image.width == 451 && image.height == 300)
        // A ginger cat: more red than blue over the whole picture.
        let red = stride(from: 0, to: image.pixels.count, by: 3).reduce(0) { $0 + Int(image.pixels[$1]) }
        let blue = stride(from: 2, to: image.pixels.count, by: 3).reduce(0) { $0 + Int(image.pixels[$1]) }
        #expect(red > blue)
    }

    @Test func damagedAndForeignFilesAreClearErrors() throws {
        let path = try InstalledFiles().locate("sample-photos/chelsea.png", overriddenBy: "MEDLOCAL_SAMPLE_PHOTO")
        let bytes = [UInt8](try Data(contentsOf: path))
        let decoder = LeptonicaColorDecoder()
        #expect(throws: ImageFileError.self) { try decoder.decodeColor(Array(bytes.prefix(bytes.count / 3))) }
        #expect(throws: ImageFileError.self) { try decoder.decodeColor(Array("%PDF-1.7 not an image".utf8)) }
        #expect(throws: ImageFileError.self) { try decoder.decodeColor([]) }
        #expect { try LeptonicaColorDecoder(maximumPixels: 1000).decodeColor(bytes) } throws: { "\($0)".contains("451 × 300") }
    }
}
