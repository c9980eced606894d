import Foundation
public import Inference

/// `models bench`: the backbone's cost per image at its own 224 × 224 input, on a given number of threads —
/// the ONNX run alone and with preprocessing (resize, normalise) and pooling, medians over repeated runs.
public struct BackboneBenchmark: Sendable {
    public struct Report: Sendable {
        public var threads: Int
        public var runs: Int
        public var inferenceMilliseconds: Double
        public var endToEndMilliseconds: Double
    }

    public let models: ImageModels
    public init(models: ImageModels = .current) { self.models = models }

    public func run(image: RGBImage, threads: Int, runs: Int) throws -> Report {
        let backbone = try models.backbone(threads: threads).features
        let input = backbone.preprocessing.tensor(for: [image])
        _ = try backbone.backbone.run(input, outputs: BackboneFeatures.stageOutputs)   // warm-up: first runs allocate
        var inference: [Double] = [], endToEnd: [Double] = []
        for _ in 0..<runs {
            var start = DispatchTime.now().uptimeNanoseconds
            _ = try backbone.backbone.run(input, outputs: BackboneFeatures.stageOutputs)
            inference.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            start = DispatchTime.now().uptimeNanoseconds
            _ = try backbone.vectors(for: [image])
            endToEnd.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return Report(threads: threads, runs: runs, inferenceMilliseconds: Self.median(inference), endToEndMilliseconds: Self.median(endToEnd))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
