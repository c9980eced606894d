/// How an image becomes the backbone's input, recorded in every model's manifest so that training and inference
/// cannot disagree: resize (no crop: a cell crop's shape is part of what it shows) to `size` × `size`, then
/// (pixel − mean) / scale per channel, NCHW, RGB.
public struct Preprocessing: Sendable, Equatable, Codable {
    public var size: Int
    public var mean: Float
    public var scale: Float
    public var resize: String
    public var channels: String
    /// Per-channel (R, G, B) mean and scale in pixel units, when they differ by channel (an uploaded model
    /// trained with ImageNet's normalisation, say); they replace `mean` and `scale`.
    public var channelMeans: [Float]?
    public var channelScales: [Float]?

    public init(size: Int = 224, mean: Float = 127, scale: Float = 128) {
        self.size = size
        self.mean = mean
        self.scale = scale
        resize = "bilinear, to a square, no crop"
        channels = "RGB, NCHW"
    }

    /// Per-channel normalisation: three means and three scales, in pixel units (0–255).
    public init(size: Int, channelMeans: [Float], channelScales: [Float]) {
        precondition(channelMeans.count == 3 && channelScales.count == 3, "one mean and one scale per channel")
        self.init(size: size, mean: channelMeans.reduce(0, +) / 3, scale: channelScales.reduce(0, +) / 3)
        self.channelMeans = channelMeans
        self.channelScales = channelScales
    }

    enum CodingKeys: String, CodingKey {
        case size, mean, scale, resize, channels
        case channelMeans = "channel_means"
        case channelScales = "channel_scales"
    }

    /// EfficientNet-Lite0's own input: 224 × 224, pixels mapped to about −1…1 as in its TensorFlow training.
    public static let efficientNetLite0 = Preprocessing()

    /// The input tensor for a batch of images, [n, 3, size, size].
    public func tensor(for images: [RGBImage]) -> Tensor {
        let plane = size * size
        var values = [Float](repeating: 0, count: images.count * 3 * plane)
        let means = channelMeans ?? [mean, mean, mean], scales = channelScales ?? [scale, scale, scale]
        for (n, image) in images.enumerated() {
            let channels = image.resizedChannels(width: size, height: size)
            for c in 0..<3 {
                let base = (n * 3 + c) * plane
                for i in 0..<plane { values[base + i] = (channels[c][i] - means[c]) / scales[c] }
            }
        }
        return Tensor(shape: [images.count, 3, size, size], values: values)
    }
}

/// One view of a training image: the image itself or an augmented copy. Features are extracted per view, so an
/// augmentation costs a backbone pass per training image, once (the features are cached).
public enum ImageView: String, Sendable, Codable, CaseIterable {
    case original
    case flipped
    case cropped
    case brighter

    public func apply(to image: RGBImage) -> RGBImage {
        switch self {
        case .original: image
        case .flipped: image.flippedHorizontally()
        case .cropped: image.centreCropped(keeping: 0.84)
        case .brighter: image.brightened(by: 1.2)
        }
    }
}
