import Foundation

/// Transfer learning: frozen backbone features of every image (and of its augmented views), cached by image hash,
/// then softmax heads trained by stratified k-fold cross-validation with early stopping, averaged with a kernel model
/// on the images' grey thumbnails. Every image is scored by the fold that did not learn from it.
///
/// Measured on the dev PneumoniaMNIST (12 stratified 80/20 splits, trained on the 80 %, scored on the held-out 20 %):
/// one head early-stopped on a 20 % split of the training images 0.9470; with the pixel kernel model 0.9501; as
/// cross-validated here 0.9553; logistic regression on the raw pixels 0.9327.
public struct ClassifierTraining: Sendable {
    public enum Progress: Sendable {
        case features(done: Int, of: Int, cached: Int)
        case epoch(Int, validationLoss: Double, fold: Int, of: Int)
    }

    public var features: BackboneFeatures
    public var cache: FeatureCache?
    /// Views of each training image the head learns from; the validation and inference views are ``inferenceViews``.
    public var trainingViews: [ImageView] = [.original, .flipped]
    public var inferenceViews: [ImageView] = [.original, .flipped]
    public var settings = HeadTrainer.Settings()
    /// nil trains the logistic regression alone.
    public var pixelKernelSettings: PixelKernelModel.Settings? = PixelKernelModel.Settings()
    /// Cross-validation: a head per fold, trained on the other folds and early-stopped on its own; the model card
    /// scores every image by the fold that did not train on it, and the saved head averages the folds' logits.
    public var foldCount = 5
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
        let trainingStarted = Date()
        let labels = dataset.images.map(\.label)
        let runs = crossValidate(dataset, vectors: vectors, labels: labels, progress: progress)
        var head = SoftmaxHead.averagingLogits(of: runs.heads)
        head.pixelKernel = pixelKernel(Array(dataset.images.indices), vectors, labels, classWeights: dataset.classWeights)
        let scores = { (probabilities: [[Double]]) in ClassificationMetrics(classes: dataset.classes, truth: labels, probabilities: probabilities) }
        let counts = Dictionary(uniqueKeysWithValues: dataset.classes.indices.map { label in
            let members = labels.filter { $0 == label }.count
            return (dataset.classes[label], ModelCard.ClassCount(training: members, validation: members))
        })
        var card = ModelCard(
            base: base, classes: dataset.classes, counts: counts, datasetSHA256: dataset.sha256,
            removedImages: Dictionary(grouping: dataset.removed, by: \.reason.rawValue).mapValues(\.count),
            imbalance: dataset.imbalance, classWeights: Dictionary(uniqueKeysWithValues: zip(dataset.classes, dataset.classWeights)),
            validation: scores(runs.combined), trainingSeconds: Date().timeIntervalSince(trainingStarted), featureSeconds: featureSeconds,
            epochs: runs.outcomes.map(\.epochs).max() ?? 0, bestEpoch: runs.outcomes.map(\.bestEpoch).sorted()[runs.outcomes.count / 2],
            views: inferenceViews, settings: settings)
        card.crossValidationFolds = runs.outcomes.count
        card.foldBestEpochs = runs.outcomes.map(\.bestEpoch)
        card.rawPixelBaseline = scores(runs.pixelBaseline)
        if head.pixelKernel != nil {
            card.featureRegressionOnly = scores(runs.regressionOnly)
            card.pixelKernel = pixelKernelSettings
        }
        return Result(classifier: ImageClassifier(features: features, head: head, views: inferenceViews), card: card)
    }

    /// Each image's out-of-fold probabilities — from the head and kernel model, the regression alone, and the
    /// raw-pixel baseline — and each fold's regression.
    struct FoldRuns {
        var combined: [[Double]]
        var regressionOnly: [[Double]]
        var pixelBaseline: [[Double]]
        var heads: [SoftmaxHead] = []
        var outcomes: [HeadTrainer.Outcome] = []

        init(images: Int) {
            combined = [[Double]](repeating: [], count: images)
            regressionOnly = combined
            pixelBaseline = combined
        }
    }

    func crossValidate(_ dataset: LabelledDataset, vectors: [[ImageView: [Float]]], labels: [Int], progress: (Progress) -> Void) -> FoldRuns {
        var runs = FoldRuns(images: labels.count)
        let folds = dataset.folds(count: foldCount, seed: settings.seed)
        for (number, held) in folds.enumerated() {
            let heldSet = Set(held)
            let training = labels.indices.filter { !heldSet.contains($0) }
            let outcome = HeadTrainer(settings: settings).train(
                classes: dataset.classes, training: examples(training, trainingViews, vectors, labels),
                validation: examples(held, [.original], vectors, labels), classWeights: dataset.classWeights
            ) { epoch, loss in progress(.epoch(epoch, validationLoss: loss, fold: number + 1, of: folds.count)) }
            var head = outcome.head
            for i in held { runs.regressionOnly[i] = probabilities(head, vectors[i]) }
            head.pixelKernel = pixelKernel(training, vectors, labels, classWeights: dataset.classWeights)
            for i in held { runs.combined[i] = probabilities(head, vectors[i]) }
            let baseline = rawPixelBaseline(training: training, held: held, vectors, labels, dataset)
            for i in held { runs.pixelBaseline[i] = baseline.probabilities(Self.thumbnail(of: vectors[i][.original]!)) }
            runs.heads.append(outcome.head)
            runs.outcomes.append(outcome)
        }
        return runs
    }

    func examples(_ indices: [Int], _ views: [ImageView], _ vectors: [[ImageView: [Float]]], _ labels: [Int]) -> [HeadTrainer.Example] {
        indices.flatMap { i in views.map { HeadTrainer.Example(features: vectors[i][$0]!, label: labels[i]) } }
    }

    /// An image's probabilities: the mean over the inference views.
    func probabilities(_ head: SoftmaxHead, _ vectors: [ImageView: [Float]]) -> [Double] {
        head.probabilities(views: inferenceViews.map { vectors[$0]! })
    }

    func pixelKernel(_ indices: [Int], _ vectors: [[ImageView: [Float]]], _ labels: [Int], classWeights: [Double]) -> PixelKernelModel? {
        guard let pixelKernelSettings else { return nil }
        return PixelKernelModel.fit(thumbnails: indices.map { Self.thumbnail(of: vectors[$0][.original]!) }, labels: indices.map { labels[$0] },
                                    classCount: classWeights.count, classWeights: classWeights, settings: pixelKernelSettings, seed: settings.seed)
    }

    /// The thumbnail part of a feature vector: the raw grey pixels.
    static func thumbnail(of vector: [Float]) -> [Float] {
        Array(vector.suffix(BackboneFeatures.thumbnailSide * BackboneFeatures.thumbnailSide))
    }

    /// Logistic regression on the thumbnail part of each vector (the raw grey pixels), same folds and settings.
    func rawPixelBaseline(training: [Int], held: [Int], _ vectors: [[ImageView: [Float]]], _ labels: [Int], _ dataset: LabelledDataset) -> SoftmaxHead {
        let example = { (i: Int) in HeadTrainer.Example(features: Self.thumbnail(of: vectors[i][.original]!), label: labels[i]) }
        return HeadTrainer(settings: settings).train(classes: dataset.classes, training: training.map(example),
                                                     validation: held.map(example), classWeights: dataset.classWeights).head
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
