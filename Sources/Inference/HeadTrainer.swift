/// Trains a ``SoftmaxHead`` by mini-batch Adam with L2 regularisation, class weights and early stopping on a
/// validation set. Deterministic for a given seed: the only randomness is the batch order, drawn from a seeded
/// generator, and the arithmetic runs in a fixed order on one thread.
public struct HeadTrainer: Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        public var learningRate: Double = 1e-3
        public var l2: Double = 1e-3
        public var batchSize: Int = 128
        public var maximumEpochs: Int = 40
        /// Stop when the validation loss has not improved for this many epochs, keeping the best epoch's head.
        public var patience: Int = 6
        public var seed: UInt64 = 20_261_203
        public init() {}
    }

    public struct Example: Sendable {
        public var features: [Float]
        public var label: Int
        public init(features: [Float], label: Int) { self.features = features; self.label = label }
    }

    public struct Outcome: Sendable {
        public var head: SoftmaxHead
        public var epochs: Int
        public var bestEpoch: Int
        public var validationLoss: Double
    }

    public var settings: Settings
    public init(settings: Settings = Settings()) { self.settings = settings }

    /// - Parameters:
    ///   - classWeights: one per class; a rare class's errors count more (inverse frequency, mean 1).
    ///   - progress: called after each epoch with (epoch, validation loss).
    public func train(classes: [String], training: [Example], validation: [Example], classWeights: [Double],
                      progress: (Int, Double) -> Void = { _, _ in }) -> Outcome {
        precondition(!training.isEmpty && classes.count >= 2, "training needs examples and at least two classes")
        let dimension = training[0].features.count
        let (mean, scale) = Self.standardisation(of: training, dimension: dimension)
        let standardise = { (x: [Float]) in zip(zip(x, mean), scale).map { ($0.0 - $0.1) / $1 } }
        let train = training.map { (standardise($0.features), $0.label) }
        let check = validation.map { (standardise($0.features), $0.label) }
        var model = Parameters(classes: classes.count, dimension: dimension)
        var optimiser = Adam(count: model.flat.count)
        var generator = SplitMix64(seed: settings.seed)
        var best = (loss: Double.infinity, model: model, epoch: 0)
        var epoch = 0
        while epoch < settings.maximumEpochs, epoch - best.epoch < settings.patience || best.epoch == 0 {
            epoch += 1
            var order = Array(train.indices)
            order.shuffle(using: &generator)
            for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                let batch = order[start..<min(start + settings.batchSize, order.count)].map { train[$0] }
                let gradient = model.gradient(on: batch, classWeights: classWeights, l2: settings.l2)
                optimiser.step(&model.flat, gradient: gradient, learningRate: settings.learningRate)
            }
            let loss = check.isEmpty ? model.loss(on: train, classWeights: classWeights) : model.loss(on: check, classWeights: classWeights)
            progress(epoch, loss)
            // A gain under 1e-4 is noise: waiting for it would run every epoch for nothing.
            if loss < best.loss - 1e-4 { best = (loss, model, epoch) }
        }
        let head = SoftmaxHead(classes: classes, featureMean: mean, featureScale: scale,
                               weights: best.model.weightRows, bias: best.model.biases)
        return Outcome(head: head, epochs: epoch, bestEpoch: best.epoch, validationLoss: best.loss)
    }

    static func standardisation(of examples: [Example], dimension: Int) -> ([Float], [Float]) {
        var sum = [Double](repeating: 0, count: dimension), squares = [Double](repeating: 0, count: dimension)
        for example in examples {
            for (i, v) in example.features.enumerated() { sum[i] += Double(v); squares[i] += Double(v) * Double(v) }
        }
        let n = Double(examples.count)
        let mean = sum.map { $0 / n }
        let scale = zip(squares, mean).map { Float(max(0, $0 / n - $1 * $1).squareRoot() + 1e-6) }
        return (mean.map { Float($0) }, scale)
    }
}

/// Weights and biases of a linear softmax model in one flat array: class k's weights at k·dimension, then the biases.
struct Parameters: Sendable {
    let classes: Int
    let dimension: Int
    var flat: [Float]

    init(classes: Int, dimension: Int) {
        self.classes = classes
        self.dimension = dimension
        flat = [Float](repeating: 0, count: classes * (dimension + 1))
    }

    var weightRows: [[Float]] { (0..<classes).map { Array(flat[$0 * dimension..<($0 + 1) * dimension]) } }
    var biases: [Float] { Array(flat[(classes * dimension)...]) }

    func probabilities(_ x: [Float]) -> [Double] {
        var logits = [Double](repeating: 0, count: classes)
        flat.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { x in
                for k in 0..<classes {
                    var sum: Float = 0
                    let row = p.baseAddress! + k * dimension
                    for i in 0..<dimension { sum += row[i] * x[i] }
                    logits[k] = Double(sum + p[classes * dimension + k])
                }
            }
        }
        return SoftmaxHead.softmax(logits)
    }

    /// The gradient of the class-weighted mean cross-entropy plus (l2 / 2)·|W|² over a batch.
    func gradient(on batch: [([Float], Int)], classWeights: [Double], l2: Double) -> [Float] {
        var gradient = [Float](repeating: 0, count: flat.count)
        let totalWeight = batch.reduce(0) { $0 + classWeights[$1.1] }
        gradient.withUnsafeMutableBufferPointer { g in
            for (x, label) in batch {
                let p = probabilities(x)
                let w = classWeights[label] / totalWeight
                x.withUnsafeBufferPointer { x in
                    for k in 0..<classes {
                        let delta = Float(w * (p[k] - (k == label ? 1 : 0)))
                        let row = g.baseAddress! + k * dimension
                        for i in 0..<dimension { row[i] += delta * x[i] }
                        g[classes * dimension + k] += delta
                    }
                }
            }
            let decay = Float(l2)
            flat.withUnsafeBufferPointer { p in
                for i in 0..<(classes * dimension) { g[i] += decay * p[i] }
            }
        }
        return gradient
    }

    func loss(on examples: [([Float], Int)], classWeights: [Double]) -> Double {
        var total = 0.0, weight = 0.0
        for (x, label) in examples {
            total -= classWeights[label] * Foundation.log(max(1e-12, probabilities(x)[label]))
            weight += classWeights[label]
        }
        return total / max(weight, 1e-12)
    }
}

/// Adam (Kingma & Ba) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
struct Adam: Sendable {
    private var first: [Float]
    private var second: [Float]
    private var steps = 0

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
    }

    mutating func step(_ parameters: inout [Float], gradient: [Float], learningRate: Double) {
        steps += 1
        let correction1 = Float(1 - Foundation.pow(0.9, Double(steps))), correction2 = Float(1 - Foundation.pow(0.999, Double(steps)))
        let rate = Float(learningRate)
        for i in parameters.indices {
            first[i] = 0.9 * first[i] + 0.1 * gradient[i]
            second[i] = 0.999 * second[i] + 0.001 * gradient[i] * gradient[i]
            parameters[i] -= rate * (first[i] / correction1) / ((second[i] / correction2).squareRoot() + 1e-8)
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64), so training runs repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
