import Foundation
import Inference
import Testing

@Suite struct HeadTrainerTests {
    /// Two classes in 20 dimensions, apart along the first two and noise elsewhere; a linear head separates them.
    static func examples(count: Int, seed: UInt64) -> [HeadTrainer.Example] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let label = i % 2
            var features = (0..<20).map { _ in Float.random(in: -1...1, using: &generator) }
            features[0] += label == 1 ? 1.5 : -1.5
            features[1] += label == 1 ? -1 : 1
            return HeadTrainer.Example(features: features, label: label)
        }
    }

    func train(seed: UInt64) -> HeadTrainer.Outcome {
        var settings = HeadTrainer.Settings()
        settings.seed = seed
        settings.batchSize = 16
        return HeadTrainer(settings: settings).train(classes: ["a", "b"], training: Self.examples(count: 200, seed: 1),
                                                     validation: Self.examples(count: 60, seed: 2), classWeights: [1, 1])
    }

    @Test func theSameSeedTrainsTheSameHeadBitForBit() {
        #expect(train(seed: 42).head == train(seed: 42).head)
        #expect(train(seed: 42).head != train(seed: 43).head)
    }

    @Test func aSeparableProblemIsLearned() {
        let outcome = train(seed: 42)
        let test = Self.examples(count: 200, seed: 3)
        let correct = test.filter { example in
            let p = outcome.head.probabilities(example.features)
            return (p[1] > p[0] ? 1 : 0) == example.label
        }.count
        #expect(correct >= 190)
        #expect(outcome.validationLoss < 0.35)
        #expect(outcome.bestEpoch >= 1 && outcome.bestEpoch <= outcome.epochs)
    }

    @Test func trainingStopsOnceValidationGetsWorseAndKeepsTheBestEpoch() {
        var settings = HeadTrainer.Settings()
        settings.maximumEpochs = 500
        settings.patience = 3
        // Validation labels are the opposite of training's, so every epoch of learning makes validation worse.
        let flipped = Self.examples(count: 40, seed: 2).map { HeadTrainer.Example(features: $0.features, label: 1 - $0.label) }
        let outcome = HeadTrainer(settings: settings).train(classes: ["a", "b"], training: Self.examples(count: 100, seed: 1),
                                                            validation: flipped, classWeights: [1, 1])
        #expect(outcome.bestEpoch == 1)
        #expect(outcome.epochs == 4)
    }

    @Test func classWeightsPullTheBoundaryTowardsTheCheapClass() {
        // The same data; weighing class b's errors 10× must make the head call more borderline items b.
        let training = Self.examples(count: 200, seed: 1)
        let probe = Self.examples(count: 400, seed: 9)
        func predictedB(_ weights: [Double]) -> Int {
            let head = HeadTrainer().train(classes: ["a", "b"], training: training, validation: [], classWeights: weights).head
            return probe.filter { head.probabilities($0.features)[1] > 0.5 }.count
        }
        #expect(predictedB([1, 10]) > predictedB([1, 1]))
    }
}

@Suite struct SoftmaxHeadAveragingTests {
    @Test func anAveragedHeadsLogitsAreTheMeanOfItsPartsLogits() {
        let examples = HeadTrainerTests.examples(count: 120, seed: 4)
        let heads = [(1, 0..<60), (2, 60..<120), (3, 0..<120)].map { seed, range -> SoftmaxHead in
            var settings = HeadTrainer.Settings()
            settings.seed = UInt64(seed)
            settings.maximumEpochs = 5
            return HeadTrainer(settings: settings).train(classes: ["a", "b"], training: Array(examples[range]), validation: [],
                                                         classWeights: [1, 1]).head
        }
        let averaged = SoftmaxHead.averagingLogits(of: heads)
        #expect(averaged.classes == ["a", "b"] && averaged.pixelKernel == nil)
        for probe in HeadTrainerTests.examples(count: 10, seed: 5) {
            let logOdds = { (p: [Double]) in Foundation.log(p[1] / p[0]) }
            let expected = heads.map { logOdds($0.probabilities(probe.features)) }.reduce(0, +) / 3
            #expect(abs(logOdds(averaged.probabilities(probe.features)) - expected) < 1e-4)
        }
    }
}
