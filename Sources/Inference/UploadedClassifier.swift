import Foundation

/// What turns images into the vectors a head scores: the pretrained backbone's pooled features for a model trained
/// here, or an uploaded classifier's own output.
public protocol ImageFeatures: Sendable {
    /// One vector per image, in order.
    func vectors(for images: [RGBImage]) throws -> [[Float]]
}

extension BackboneFeatures: ImageFeatures {}

/// Which output of an uploaded ONNX classifier holds the class scores, and what they are.
public struct ClassifierOutput: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Unnormalised scores: the head's softmax turns them into probabilities.
        case logits
        /// Probabilities already (the model ends in a softmax): each row is in 0…1 and sums to 1.
        case probabilities

        /// The kind an option names (`logits` or `probabilities`).
        public init(option text: String) throws(ModelStoreError) {
            guard let kind = Kind(rawValue: text) else { throw ModelStoreError("the output kind is logits or probabilities, not \(text)") }
            self = kind
        }
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// The vectors of an uploaded classifier: its output row per image, as logits. Probabilities are taken back to
/// log-probabilities, so that the identity head's softmax returns exactly the model's own probabilities and an
/// uploaded model runs through the same head, views and bundle as one trained here.
public struct ModelOutputFeatures: ImageFeatures {
    public let model: any TensorModel
    public let preprocessing: Preprocessing
    public let output: ClassifierOutput

    public init(model: any TensorModel, preprocessing: Preprocessing, output: ClassifierOutput) {
        self.model = model
        self.preprocessing = preprocessing
        self.output = output
    }

    /// Whether the model takes one image per run (its batch dimension is fixed at 1).
    var takesOneImage: Bool { model.inputs.first?.shape.first == 1 }

    public func vectors(for images: [RGBImage]) throws -> [[Float]] {
        let scores = try rows(for: images)
        return output.kind == .logits ? scores : scores.map { row in row.map { Foundation.log(max($0, 1e-12)) } }
    }

    /// The raw output rows, one per image.
    public func rows(for images: [RGBImage]) throws -> [[Float]] {
        guard !images.isEmpty else { return [] }
        if takesOneImage && images.count > 1 { return try images.flatMap { try rows(for: [$0]) } }
        guard let result = try model.run(preprocessing.tensor(for: images), outputs: [output.name]).first,
              !result.values.isEmpty, result.values.count % images.count == 0 else {
            throw InferenceRuntimeError("the model's output \(output.name) does not give one row per image")
        }
        let width = result.values.count / images.count
        return (0..<images.count).map { n in Array(result.values[n * width..<(n + 1) * width]) }
    }
}

extension SoftmaxHead {
    /// The head of an uploaded classifier: no standardisation and identity weights, so the probabilities are the
    /// softmax of the model's own logits.
    public static func identity(classes: [String]) -> SoftmaxHead {
        let k = classes.count
        return SoftmaxHead(classes: classes, featureMean: [Float](repeating: 0, count: k), featureScale: [Float](repeating: 1, count: k),
                           weights: (0..<k).map { row in (0..<k).map { $0 == row ? 1 : 0 } }, bias: [Float](repeating: 0, count: k))
    }
}

/// The checks an externally trained ONNX classifier passes before it becomes a model version: one float image
/// input of shape [batch, 3, size, size], an output of one score per label, and a run on sample images that
/// gives finite scores of the right width (probabilities that sum to 1 when they claim to be probabilities).
public struct UploadedClassifierCheck: Sendable {
    public var labels: [String]
    /// The output to read; may be left out when the model has one output of the labels' width.
    public var outputName: String?
    /// The input side for a model whose input size is dynamic (a fixed size must agree when given).
    public var size: Int?
    /// What the output holds; detected from the sample run when nil.
    public var kind: ClassifierOutput.Kind?

    public init(labels: [String], outputName: String? = nil, size: Int? = nil, kind: ClassifierOutput.Kind? = nil) {
        self.labels = labels
        self.outputName = outputName
        self.size = size
        self.kind = kind
    }

    /// A labels file: one class per line (UTF-8), blank lines ignored, in the order of the model's output.
    public static func labels(from text: String) throws(ModelStoreError) -> [String] {
        let labels = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard labels.count >= 2 else { throw ModelStoreError("the labels file names \(labels.count) class(es); a classifier needs at least 2, one per line") }
        if let long = labels.firstIndex(where: { $0.count > 200 || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            throw ModelStoreError("label on line \(long + 1) is longer than 200 characters or holds control characters")
        }
        var seen: Set<String> = []
        for label in labels where !seen.insert(label).inserted { throw ModelStoreError("the label \"\(label)\" appears twice") }
        return labels
    }

    /// The input side and the output, from the model's declared shapes.
    public func interface(of model: any TensorModel) throws(ModelStoreError) -> (size: Int, output: String) {
        guard model.inputs.count == 1, let input = model.inputs.first, input.isFloat else {
            throw ModelStoreError("the model has \(model.inputs.count) inputs; an image classifier takes one float32 image tensor")
        }
        let shape = input.shape
        guard shape.count == 4, shape[1] == 3 || shape[1] == nil else {
            throw ModelStoreError("input \(input.name) has shape \(Self.describe(shape)); an image classifier takes [batch, 3, height, width] (RGB, NCHW)")
        }
        if let batch = shape[0], batch != 1 { throw ModelStoreError("input \(input.name) has a fixed batch of \(batch); 1 or a dynamic batch is needed") }
        let size: Int
        switch (shape[2], shape[3]) {
        case let (height?, width?):
            guard height == width else { throw ModelStoreError("input \(input.name) is \(height) × \(width); MedLocal feeds square images") }
            if let asked = self.size, asked != height { throw ModelStoreError("input \(input.name) is fixed at \(height) × \(height), not the \(asked) asked for") }
            size = height
        case (nil, nil):
            size = self.size ?? 224
        default:
            throw ModelStoreError("input \(input.name) has shape \(Self.describe(shape)); both sides fixed or both dynamic are needed")
        }
        guard (16...1024).contains(size) else { throw ModelStoreError("an input side of \(size) is outside 16…1024") }
        return (size, try output(of: model))
    }

    private func output(of model: any TensorModel) throws(ModelStoreError) -> String {
        let fits = { (spec: TensorSpec) in spec.isFloat && spec.shape.count == 2 && (spec.shape[1] == nil || spec.shape[1] == labels.count) }
        if let outputName {
            guard let spec = model.outputs.first(where: { $0.name == outputName }) else {
                throw ModelStoreError("the model has no output \(outputName) (outputs: \(model.outputs.map(\.name).joined(separator: ", ")))")
            }
            guard fits(spec) else {
                throw ModelStoreError("output \(outputName) has shape \(Self.describe(spec.shape)); [batch, \(labels.count)] (one score per label) is needed")
            }
            return outputName
        }
        let candidates = model.outputs.filter(fits)
        guard candidates.count == 1 else {
            let listed = model.outputs.map { "\($0.name) \(Self.describe($0.shape))" }.joined(separator: ", ")
            throw ModelStoreError(candidates.isEmpty
                ? "no output has one score per label (\(labels.count) labels; outputs: \(listed))"
                : "several outputs could hold the scores (\(listed)); name one with --output")
        }
        return candidates[0].name
    }

    /// Runs the model on sample images and settles what its output holds.
    public func sampleRun(_ features: ModelOutputFeatures, on images: [RGBImage]) throws -> ClassifierOutput.Kind {
        let rows: [[Float]]
        do { rows = try features.rows(for: images) } catch { throw ModelStoreError("the model does not run on a sample image: \(error)") }
        for row in rows {
            guard row.count == labels.count else {
                throw ModelStoreError("the model gave \(row.count) scores for \(labels.count) labels")
            }
            guard row.allSatisfy(\.isFinite) else { throw ModelStoreError("the model gave a score that is not a finite number on a sample image") }
        }
        let rowsAreProbabilities = rows.allSatisfy { row in row.allSatisfy { (0...1).contains($0) } && abs(row.reduce(0, +) - 1) < 1e-3 }
        if kind == .probabilities && !rowsAreProbabilities {
            throw ModelStoreError("output \(features.output.name) was declared probabilities, but its rows are not in 0…1 summing to 1")
        }
        return kind ?? (rowsAreProbabilities ? .probabilities : .logits)
    }

    /// Images every upload runs on: uniform grey, black and white, and a gradient.
    public static var syntheticSamples: [RGBImage] {
        let side = 64
        let gradient = (0..<side * side).map { UInt8(($0 % side) * 255 / (side - 1)) }
        return [RGBImage(width: side, height: side, grey: [UInt8](repeating: 128, count: side * side)),
                RGBImage(width: side, height: side, grey: [UInt8](repeating: 0, count: side * side)),
                RGBImage(width: side, height: side, grey: [UInt8](repeating: 255, count: side * side)),
                RGBImage(width: side, height: side, grey: gradient)]
    }

    static func describe(_ shape: [Int?]) -> String { "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]" }
}
