/// A classifier: features (the backbone's, or an uploaded model's own output), then the head. Classifies in
/// process; nothing leaves it.
public struct ImageClassifier: Sendable {
    public struct Prediction: Sendable, Equatable, Codable {
        public var label: String
        public var probability: Double
        public var probabilities: [String: Double]
    }

    public let features: any ImageFeatures
    public let head: SoftmaxHead
    /// The views averaged at inference (test-time augmentation), as the manifest records them.
    public let views: [ImageView]

    public init(features: any ImageFeatures, head: SoftmaxHead, views: [ImageView] = [.original]) {
        self.features = features
        self.head = head
        self.views = views.isEmpty ? [.original] : views
    }

    public func probabilities(of image: RGBImage) throws -> [Double] {
        let vectors = try features.vectors(for: views.map { $0.apply(to: image) })
        return head.probabilities(views: vectors)
    }

    public func classify(_ image: RGBImage) throws -> Prediction {
        let p = try probabilities(of: image)
        let best = p.indices.max { p[$0] < p[$1] }!
        return Prediction(label: head.classes[best], probability: p[best],
                          probabilities: Dictionary(uniqueKeysWithValues: zip(head.classes, p)))
    }
}

extension ImageClassifier {
    /// The classifier a manifest describes, on its network: the backbone for a model trained here, the model
    /// itself for an uploaded one. How a bundle (or a stored version) becomes something that classifies.
    public static func assemble(_ manifest: ModelManifest, head: SoftmaxHead, network: any TensorModel) throws -> ImageClassifier {
        let features: any ImageFeatures
        if let output = manifest.output {
            features = ModelOutputFeatures(model: network, preprocessing: manifest.preprocessing, output: output)
        } else {
            features = try BackboneFeatures(backbone: network, preprocessing: manifest.preprocessing)
        }
        return ImageClassifier(features: features, head: head, views: manifest.views)
    }
}
