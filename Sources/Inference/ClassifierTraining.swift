import Foundation

/// Transfer learning: frozen backbone features of every image (and of its augmented views), cached by image hash,
/// then a softmax head trained on a stratified 80/20 split with early stopping, scored on the held-out 20 %.
public struct ClassifierTraining: Sendable {
    public enum Progress: Sendable {
        case features(done: Int, of: Int, cached: Int)
        case epoch(Int, validationLoss: Double)
    }

    public var features: BackboneFeatures
    public var cache: FeatureCache?
    /// Views of each training image the head learns from; the validation and inference views are ``inferenceViews``.
    public var trainingViews: [ImageView] = [.original, .flipped]
    public var inferenceViews: [ImageView] = [.original, .flipped]
    public var settings = HeadTrainer.Settings()
    public var validationFraction = 0.2
    /// Images per backbone run: batching amortises the runtime's per-call cost.
    public static let batchSize = 8

    public init(features: BackboneFeatures, cache: FeatureCache?) {
        self.features = features
        self.cache = cache
    }

    public struct Result: Sendable {
        public var classifier: ImageClassifier
        public var card: ModelCard
    }

    public func train(_ dataset: LabelledDataset, base: String, progress: (Progress) -> Void = { _ in }) throws -> Result {
        let started = Date()
        let views = Array(Set(trainingViews + inferenceViews)).sorted { $0.rawValue < $1.rawValue }
        let vectors = try featureVectors(for: dataset, views: views, progress: progress)
        let featureSeconds = Date().timeIntervalSince(started)
        let (trainIndices, validationIndices) = dataset.split(validationFraction: validationFraction, seed: settings.seed)
        let examples = { (indices: [Int], views: [ImageView]) in
            indices.flatMap { i in views.map { HeadTrainer.Example(features: vectors[i][$0]!, label: dataset.images[i].label) } }
        }
        let trainingStarted = Date()
        let outcome = HeadTrainer(settings: settings).train(
            classes: dataset.classes, training: examples(trainIndices, trainingViews),
            validation: examples(validationIndices, [.original]), classWeights: dataset.classWeights
        ) { epoch, loss in progress(.epoch(epoch, validationLoss: loss)) }
        let head = outcome.head
        let probabilities = validationIndices.map { i in head.probabilities(views: inferenceViews.map { vectors[i][$0]! }) }
        let metrics = ClassificationMetrics(classes: dataset.classes, truth: validationIndices.map { dataset.images[$0].label },
                                            probabilities: probabilities)
        let counts = Dictionary(uniqueKeysWithValues: dataset.classes.indices.map { label in
            (dataset.classes[label], ModelCard.ClassCount(training: trainIndices.filter { dataset.images[$0].label == label }.count,
                                                          validation: validationIndices.filter { dataset.images[$0].label == label }.count))
        })
        let card = ModelCard(
            base: base, classes: dataset.classes, counts: counts, datasetSHA256: dataset.sha256,
            removedImages: Dictionary(grouping: dataset.removed, by: \.reason.rawValue).mapValues(\.count),
            imbalance: dataset.imbalance, classWeights: Dictionary(uniqueKeysWithValues: zip(dataset.classes, dataset.classWeights)),
            validation: metrics, trainingSeconds: Date().timeIntervalSince(trainingStarted), featureSeconds: featureSeconds,
            epochs: outcome.epochs, bestEpoch: outcome.bestEpoch, views: inferenceViews, settings: settings)
        var scored = card
        scored.rawPixelBaseline = rawPixelBaseline(dataset, vectors: vectors, training: trainIndices, validation: validationIndices)
        return Result(classifier: ImageClassifier(features: features, head: head, views: inferenceViews), card: scored)
    }

    /// Logistic regression on the thumbnail part of each vector (the raw grey pixels), same split and settings.
    func rawPixelBaseline(_ dataset: LabelledDataset, vectors: [[ImageView: [Float]]], training: [Int], validation: [Int]) -> ClassificationMetrics {
        let pixels = BackboneFeatures.thumbnailSide * BackboneFeatures.thumbnailSide
        let example = { (i: Int) in HeadTrainer.Example(features: Array(vectors[i][.original]!.suffix(pixels)), label: dataset.images[i].label) }
        let head = HeadTrainer(settings: settings).train(classes: dataset.classes, training: training.map(example),
                                                         validation: validation.map(example), classWeights: dataset.classWeights).head
        return ClassificationMetrics(classes: dataset.classes, truth: validation.map { dataset.images[$0].label },
                                     probabilities: validation.map { head.probabilities(example($0).features) })
    }

    /// Each image's feature vector per view, from the cache where it has them.
    func featureVectors(for dataset: LabelledDataset, views: [ImageView], progress: (Progress) -> Void) throws -> [[ImageView: [Float]]] {
        let dimension = try features.vectors(for: [dataset.images[0].image]).first!.count
        var vectors = [[ImageView: [Float]]](repeating: [:], count: dataset.images.count)
        var pending: [(index: Int, view: ImageView)] = [], cached = 0
        for (i, image) in dataset.images.enumerated() {
            for view in views {
                if let hit = cache?.features(imageSHA256: image.sha256, view: view, count: dimension) {
                    vectors[i][view] = hit
                    cached += 1
                } else {
                    pending.append((i, view))
                }
            }
        }
        let total = dataset.images.count * views.count
        progress(.features(done: cached, of: total, cached: cached))
        for start in stride(from: 0, to: pending.count, by: Self.batchSize) {
            let batch = pending[start..<min(start + Self.batchSize, pending.count)]
            let computed = try features.vectors(for: batch.map { $0.view.apply(to: dataset.images[$0.index].image) })
            for (item, vector) in zip(batch, computed) {
                vectors[item.index][item.view] = vector
                try cache?.store(vector, imageSHA256: dataset.images[item.index].sha256, view: item.view)
            }
            progress(.features(done: cached + start + batch.count, of: total, cached: cached))
        }
        return vectors
    }
}
