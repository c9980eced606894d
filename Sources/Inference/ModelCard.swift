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
    public var validation: ClassificationMetrics
    /// The same split scored by logistic regression on the raw 28 × 28 grey pixels alone: what the backbone has to beat.
    public var rawPixelBaseline: ClassificationMetrics?
    public var trainingSeconds: Double
    public var featureSeconds: Double
    public var epochs: Int
    public var bestEpoch: Int
    public var views: [ImageView]
    public var settings: HeadTrainer.Settings

    public init(base: String, classes: [String], counts: [String: ClassCount], datasetSHA256: String, removedImages: [String: Int],
                imbalance: Double, classWeights: [String: Double], validation: ClassificationMetrics, trainingSeconds: Double,
                featureSeconds: Double, epochs: Int, bestEpoch: Int, views: [ImageView], settings: HeadTrainer.Settings) {
        (self.base, self.classes, self.counts, self.datasetSHA256, self.removedImages) = (base, classes, counts, datasetSHA256, removedImages)
        (self.imbalance, self.classWeights, self.validation, self.trainingSeconds) = (imbalance, classWeights, validation, trainingSeconds)
        (self.featureSeconds, self.epochs, self.bestEpoch, self.views, self.settings) = (featureSeconds, epochs, bestEpoch, views, settings)
        rawPixelBaseline = nil
    }

    enum CodingKeys: String, CodingKey {
        case base, classes, counts, imbalance, validation, epochs, views, settings
        case datasetSHA256 = "dataset_sha256"
        case removedImages = "removed_images"
        case classWeights = "class_weights"
        case trainingSeconds = "training_seconds"
        case featureSeconds = "feature_seconds"
        case bestEpoch = "best_epoch"
        case rawPixelBaseline = "raw_pixel_baseline"
    }
}
