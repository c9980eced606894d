/// The classification head trained on frozen backbone features: standardisation (per-feature mean and standard
/// deviation of the training set) followed by multinomial logistic regression — averaged, for a head trained here,
/// with a kernel model on the grey thumbnail that ends every backbone feature vector.
public struct SoftmaxHead: Sendable, Equatable, Codable {
    public var classes: [String]
    public var featureMean: [Float]
    public var featureScale: [Float]
    /// [class][feature]
    public var weights: [[Float]]
    public var bias: [Float]
    /// The second opinion from the thumbnail's pixels (the vector's last ``PixelKernelModel/pixelCount`` values);
    /// nil for an uploaded model's identity head and for heads trained before it existed.
    public var pixelKernel: PixelKernelModel?

    public init(classes: [String], featureMean: [Float], featureScale: [Float], weights: [[Float]], bias: [Float]) {
        precondition(weights.count == classes.count && bias.count == classes.count && featureMean.count == featureScale.count,
                     "one weight row and one bias per class, one mean and one scale per feature")
        self.classes = classes
        self.featureMean = featureMean
        self.featureScale = featureScale
        self.weights = weights
        self.bias = bias
    }

    public var featureCount: Int { featureMean.count }

    /// Class probabilities for one feature vector.
    public func probabilities(_ features: [Float]) -> [Double] {
        let own = regressionProbabilities(features)
        guard let pixelKernel, pixelKernel.classCount == classes.count, pixelKernel.pixelCount <= features.count else { return own }
        let second = pixelKernel.probabilities(thumbnail: Array(features.suffix(pixelKernel.pixelCount)))
        return zip(own, second).map { ($0 + $1) / 2 }
    }

    /// The logistic regression's own probabilities, without the pixel kernel's.
    public func regressionProbabilities(_ features: [Float]) -> [Double] {
        precondition(features.count == featureCount, "a feature vector must have the head's length")
        let standardised = zip(zip(features, featureMean), featureScale).map { ($0.0 - $0.1) / $1 }
        return Self.softmax(logits(standardised))
    }

    /// Mean probabilities over several views of one image (test-time augmentation).
    public func probabilities(views: [[Float]]) -> [Double] {
        let each = views.map(probabilities)
        return classes.indices.map { k in each.map { $0[k] }.reduce(0, +) / Double(each.count) }
    }

    func logits(_ standardised: [Float]) -> [Double] {
        weights.indices.map { k in
            var sum = Double(bias[k])
            weights[k].withUnsafeBufferPointer { w in
                standardised.withUnsafeBufferPointer { x in
                    var partial: Float = 0
                    for i in 0..<x.count { partial += w[i] * x[i] }
                    sum += Double(partial)
                }
            }
            return sum
        }
    }

    /// One head whose logits are the mean of `heads`' logits (same classes and feature length, each with its own
    /// standardisation): each head is taken back to raw features, the weights averaged, and the result standardised
    /// again by the heads' mean statistics. The pixel kernels, if any, are not carried over.
    public static func averagingLogits(of heads: [SoftmaxHead]) -> SoftmaxHead {
        precondition(!heads.isEmpty && heads.allSatisfy { $0.classes == heads[0].classes && $0.featureCount == heads[0].featureCount },
                     "heads over the same classes and features")
        let d = heads[0].featureCount, k = heads[0].classes.count, n = Double(heads.count)
        var rawWeights = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
        var rawBias = [Double](repeating: 0, count: k)
        for head in heads {
            for c in 0..<k {
                rawBias[c] += Double(head.bias[c]) / n
                for i in 0..<d {
                    let w = Double(head.weights[c][i]) / Double(head.featureScale[i])
                    rawWeights[c][i] += w / n
                    rawBias[c] -= w * Double(head.featureMean[i]) / n
                }
            }
        }
        let mean = (0..<d).map { i in heads.map { Double($0.featureMean[i]) }.reduce(0, +) / n }
        let scale = (0..<d).map { i in heads.map { Double($0.featureScale[i]) }.reduce(0, +) / n }
        let weights = rawWeights.map { row in (0..<d).map { Float(row[$0] * scale[$0]) } }
        let bias = (0..<k).map { c in Float(rawBias[c] + (0..<d).map { rawWeights[c][$0] * mean[$0] }.reduce(0, +)) }
        return SoftmaxHead(classes: heads[0].classes, featureMean: mean.map(Float.init), featureScale: scale.map(Float.init),
                           weights: weights, bias: bias)
    }

    static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let exps = logits.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

import Foundation
