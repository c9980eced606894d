/// How an image becomes the backbone's input, recorded in every model's manifest so that training and inference
/// cannot disagree: resize (no crop: a cell crop's shape is part of what it shows) to `size` × `size`, then
/// (pixel − mean) / scale per channel, NCHW, RGB.
public struct Preprocessing: Sendable, Equatable, Codable {
    public var size: Int
    public var mean: Float
    public var scale: Float
    public var resize: String
    public var channels: String

    public init(size: Int = 224, mean: Float = 127, scale: Float = 128) {
        self.size = size
        self.mean = mean
        self.scale = scale
        resize = "bilinear, to a square, no crop"
        channels = "RGB, NCHW"
    }

    /// EfficientNet-Lite0's own input: 224 × 224, pixels mapped to about −1…1 as in its TensorFlow training.
    public static let efficientNetLite0 = Preprocessing()

    /// The input tensor for a batch of images, [n, 3, size, size].
    public func tensor(for images: [RGBImage]) -> Tensor {
        let plane = size * size
        var values = [Float](repeating: 0, count: images.count * 3 * plane)
        for (n, image) in images.enumerated() {
            let channels = image.resizedChannels(width: size, height: size)
            for c in 0..<3 {
                let base = (n * 3 + c) * plane
                for i in 0..<plane { values[base + i] = (channels[c][i] - mean) / scale }
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
