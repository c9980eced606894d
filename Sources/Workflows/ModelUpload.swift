public import Foundation
public import Inference

/// How an uploaded model wants its pixels: most PyTorch exports were trained on ImageNet's per-channel
/// normalisation, TensorFlow ones often on −1…1 or 0…1.
public enum InputNormalization: Sendable, Equatable {
    /// (pixel/255 − (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225).
    case imagenet
    /// −1…1: (pixel − 127.5) / 127.5.
    case symmetric
    /// 0…1: pixel / 255.
    case unit
    /// Means and scales per channel (R, G, B), in pixel units.
    case custom(means: [Float], scales: [Float])

    public static let presets = ["imagenet", "symmetric", "unit"]

    public init(preset: String) throws(ModelStoreError) {
        switch preset {
        case "imagenet": self = .imagenet
        case "symmetric": self = .symmetric
        case "unit": self = .unit
        default: throw ModelStoreError("normalisation \(preset) is not one of \(Self.presets.joined(separator: ", "))")
        }
    }

    /// A preset by name, or per-channel `mean` and `std` given as "R,G,B" in pixel units (which take precedence).
    public init(preset: String?, mean: String?, std: String?) throws(ModelStoreError) {
        switch (mean, std) {
        case (nil, nil): self = try InputNormalization(preset: preset ?? "imagenet")
        case let (mean?, std?):
            let parse = { (text: String) -> [Float]? in
                let values = text.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
                return values.count == 3 && values.allSatisfy(\.isFinite) ? values : nil
            }
            guard let means = parse(mean), let scales = parse(std), scales.allSatisfy({ $0 > 0 }) else {
                throw ModelStoreError("mean and std take three numbers R,G,B each (pixel units), std above 0")
            }
            self = .custom(means: means, scales: scales)
        default: throw ModelStoreError("mean and std go together")
        }
    }

    public func preprocessing(size: Int) -> Preprocessing {
        switch self {
        case .imagenet: Preprocessing(size: size, channelMeans: [123.675, 116.28, 103.53], channelScales: [58.395, 57.12, 57.375])
        case .symmetric: Preprocessing(size: size, channelMeans: [127.5, 127.5, 127.5], channelScales: [127.5, 127.5, 127.5])
        case .unit: Preprocessing(size: size, channelMeans: [0, 0, 0], channelScales: [255, 255, 255])
        case .custom(let means, let scales): Preprocessing(size: size, channelMeans: means, channelScales: scales)
        }
    }
}

extension ImageClassifierWorkflow {
    /// What an upload says about the model beside its bytes.
    public struct UploadRequest: Sendable {
        public var name: String
        /// The file's name as given (for the model card; never a path on this machine).
        public var filename: String
        /// The labels file's text: one class per line, in the order of the model's output.
        public var labels: String
        public var output: String?
        public var size: Int?
        public var kind: ClassifierOutput.Kind?
        public var normalization: InputNormalization
        /// A labelled folder (or ZIP) to score the model on before it is registered; its classes must be labels.
        public var evaluationDataset: String?

        public init(name: String, filename: String, labels: String, output: String? = nil, size: Int? = nil,
                    kind: ClassifierOutput.Kind? = nil, normalization: InputNormalization = .imagenet, evaluationDataset: String? = nil) {
            (self.name, self.filename, self.labels, self.output, self.size) = (name, filename, labels, output, size)
            (self.kind, self.normalization, self.evaluationDataset) = (kind, normalization, evaluationDataset)
        }
    }

    /// Registers an externally trained ONNX classifier as the next version of `request.name`, in the same form as a
    /// trained version (so it is listed, bundled, signed, cached and classified the same way), after checking that
    /// it loads, that its input and output shapes fit an image classifier with these labels, and that it runs on
    /// sample images. With an evaluation dataset, the card carries its scores on those images.
    /// - Throws: ``ModelStoreError`` (or ``InputError`` for an unreadable dataset) saying what does not fit;
    ///   nothing is written then.
    public func upload(_ model: Data, _ request: UploadRequest, by user: String) throws -> ModelManifest {
        try ModelStore.validate(name: request.name)
        guard !model.isEmpty, UInt64(model.count) <= ModelBundle.maximumEntryBytes else {
            throw ModelStoreError("\(request.filename): \(model.isEmpty ? "the file is empty" : "larger than a model bundle takes (\(ModelBundle.maximumEntryBytes >> 20) MiB)")")
        }
        let labels = try UploadedClassifierCheck.labels(from: request.labels)
        guard let loadRuntime = models.loadRuntime else { throw InputError(.unreadable, "this build has no model runtime wired in") }
        let network: any TensorModel
        do { network = try loadRuntime().load(model, threads: 0) } catch {
            throw ModelStoreError("\(request.filename): not a model ONNX Runtime loads (\(error))")
        }
        let check = UploadedClassifierCheck(labels: labels, outputName: request.output, size: request.size, kind: request.kind)
        let (size, outputName) = try check.interface(of: network)
        let preprocessing = request.normalization.preprocessing(size: size)
        let started = Date()
        let source = try request.evaluationDataset.map { try DatasetSource($0) }
        defer { source?.close() }
        let dataset = try source.map { try evaluationDataset($0.folder, path: request.evaluationDataset!, labels: labels) }
        let samples = UploadedClassifierCheck.syntheticSamples + (dataset?.images.prefix(8).map(\.image) ?? [])
        let kind = try check.sampleRun(ModelOutputFeatures(model: network, preprocessing: preprocessing, output: ClassifierOutput(name: outputName, kind: .logits)),
                                       on: samples)
        let output = ClassifierOutput(name: outputName, kind: kind)
        var validation: ClassificationMetrics?
        if let dataset {
            let classifier = ImageClassifier(features: ModelOutputFeatures(model: network, preprocessing: preprocessing, output: output),
                                             head: .identity(classes: labels))
            let probabilities = try dataset.images.map { try classifier.probabilities(of: $0.image) }
            validation = ClassificationMetrics(classes: labels, truth: dataset.images.map { labels.firstIndex(of: dataset.classes[$0.label])! },
                                               probabilities: probabilities)
        }
        var card = ModelCard(
            base: ModelManifest.externalBase, classes: labels,
            counts: dataset.map { set in Dictionary(uniqueKeysWithValues: set.classes.indices.map { label in
                (set.classes[label], ModelCard.ClassCount(training: 0, validation: set.images.filter { $0.label == label }.count))
            }) } ?? [:],
            datasetSHA256: dataset?.sha256 ?? "", removedImages: dataset.map { Dictionary(grouping: $0.removed, by: \.reason.rawValue).mapValues(\.count) } ?? [:],
            imbalance: dataset?.imbalance ?? 1, classWeights: [:], validation: validation, trainingSeconds: 0,
            featureSeconds: Date().timeIntervalSince(started), epochs: 0, bestEpoch: 0, views: [.original], settings: .init())
        card.upload = ModelCard.Upload(filename: request.filename, sha256: sha256Hex(model), by: user, output: output, sampleImages: samples.count)
        return try store.saveUploaded(name: request.name, model: model, classes: labels, output: output, card: card, preprocessing: preprocessing)
    }

    private func evaluationDataset(_ folder: URL, path: String, labels: [String]) throws -> LabelledDataset {
        var rules = LabelledDataset.Rules()
        rules.minimumPerClass = 1
        let dataset = try LabelledDataset(folder: folder, decoder: models.requireDecoder(), rules: rules)
        let unknown = dataset.classes.filter { !labels.contains($0) }
        guard unknown.isEmpty else {
            throw DatasetError("\(path): class folder(s) \(unknown.joined(separator: ", ")) are not among the labels (\(labels.joined(separator: ", ")))")
        }
        return dataset
    }
}
