/// The classification head trained on frozen backbone features: standardisation (per-feature mean and standard
/// deviation of the training set) followed by multinomial logistic regression.
public struct SoftmaxHead: Sendable, Equatable, Codable {
    public var classes: [String]
    public var featureMean: [Float]
    public var featureScale: [Float]
    /// [class][feature]
    public var weights: [[Float]]
    public var bias: [Float]

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

    static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let exps = logits.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

import Foundation
