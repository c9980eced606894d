import Foundation

/// What a trained model version says about itself: where it came from and how well it did on held-out images.
public struct ModelCard: Sendable, Equatable, Codable {
    public struct ClassCount: Sendable, Equatable, Codable {
        public var training: Int
        public var validation: Int
        public init(training: Int, validation: Int) { self.training = training; self.validation = validation }
    }

    public var base: String
    public var classes: [String]
    public var counts: [String: ClassCount]
    public var datasetSHA256: String
    public var removedImages: [String: Int]
    public var imbalance: Double
    public var classWeights: [String: Double]
    /// Scores on held-out images: the validation split of a trained model, or the labelled folder an uploaded
    /// model was checked on (nil when it was uploaded without one).
    public var validation: ClassificationMetrics?
    /// The same images (same folds, or same split) scored by logistic regression on the raw 28 × 28 grey pixels alone:
    /// what the backbone has to beat.
    public var rawPixelBaseline: ClassificationMetrics?
    /// The same images scored by the head's logistic regression on the backbone features alone, without the pixel
    /// kernel model it is averaged with: what each part contributes.
    public var featureRegressionOnly: ClassificationMetrics?
    /// How the pixel kernel model was fitted; nil when the head has none.
    public var pixelKernel: PixelKernelModel.Settings?
    /// Folds of the cross-validation that produced ``validation`` (each image scored by the fold that did not
    /// learn from it); nil for a model validated on a held-out split.
    public var crossValidationFolds: Int?
    /// Each fold's best epoch (``bestEpoch`` is their median).
    public var foldBestEpochs: [Int]?
    public var trainingSeconds: Double
    public var featureSeconds: Double
    public var epochs: Int
    public var bestEpoch: Int
    public var views: [ImageView]
    public var settings: HeadTrainer.Settings
    /// Where an uploaded model came from; nil for a model trained here.
    public var upload: Upload?

    /// An externally trained model's provenance: its file, who registered it, and what was checked.
    public struct Upload: Sendable, Equatable, Codable {
        public var filename: String
        public var sha256: String
        public var by: String
        public var output: ClassifierOutput
        public var sampleImages: Int

        public init(filename: String, sha256: String, by: String, output: ClassifierOutput, sampleImages: Int) {
            (self.filename, self.sha256, self.by, self.output, self.sampleImages) = (filename, sha256, by, output, sampleImages)
        }

        enum CodingKeys: String, CodingKey {
            case filename, sha256, by, output
            case sampleImages = "sample_images"
        }
    }

    public init(base: String, classes: [String], counts: [String: ClassCount], datasetSHA256: String, removedImages: [String: Int],
                imbalance: Double, classWeights: [String: Double], validation: ClassificationMetrics?, trainingSeconds: Double,
                featureSeconds: Double, epochs: Int, bestEpoch: Int, views: [ImageView], settings: HeadTrainer.Settings) {
        (self.base, self.classes, self.counts, self.datasetSHA256, self.removedImages) = (base, classes, counts, datasetSHA256, removedImages)
        (self.imbalance, self.classWeights, self.validation, self.trainingSeconds) = (imbalance, classWeights, validation, trainingSeconds)
        (self.featureSeconds, self.epochs, self.bestEpoch, self.views, self.settings) = (featureSeconds, epochs, bestEpoch, views, settings)
        rawPixelBaseline = nil
        featureRegressionOnly = nil
        pixelKernel = nil
        crossValidationFolds = nil
        foldBestEpochs = nil
    }

    enum CodingKeys: String, CodingKey {
        case base, classes, counts, imbalance, validation, epochs, views, settings, upload
        case datasetSHA256 = "dataset_sha256"
        case removedImages = "removed_images"
        case classWeights = "class_weights"
        case trainingSeconds = "training_seconds"
        case featureSeconds = "feature_seconds"
        case bestEpoch = "best_epoch"
        case rawPixelBaseline = "raw_pixel_baseline"
        case featureRegressionOnly = "feature_regression_only"
        case pixelKernel = "pixel_kernel"
        case crossValidationFolds = "cross_validation_folds"
        case foldBestEpochs = "fold_best_epochs"
    }
}
