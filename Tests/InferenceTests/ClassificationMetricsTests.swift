import Inference
import Testing

@Suite struct ClassificationMetricsTests {
    @Test func rocAUCCountsRankedPairsWithTiesAsHalf() {
        #expect(ClassificationMetrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], positives: [false, false, true, true]) == 1)
        #expect(ClassificationMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], positives: [false, false, true, true]) == 0)
        #expect(ClassificationMetrics.rocAUC(scores: [0.5, 0.5], positives: [false, true]) == 0.5)
        // Pairs (neg, pos): (0.1,0.35) ok, (0.1,0.8) ok, (0.4,0.35) wrong, (0.4,0.8) ok → 3/4.
        #expect(ClassificationMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8], positives: [false, false, true, true]) == 0.75)
        #expect(ClassificationMetrics.rocAUC(scores: [0.1], positives: [true]) == nil)
    }

    @Test func confusionPrecisionRecallAndMacroF1() {
        // truth a a a b b c; predicted a a b b c c
        let p: [[Double]] = [[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1], [0.1, 0.3, 0.6], [0, 0.1, 0.9]]
        let metrics = ClassificationMetrics(classes: ["a", "b", "c"], truth: [0, 0, 0, 1, 1, 2], probabilities: p)
        #expect(metrics.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(metrics.accuracy == 4.0 / 6.0)
        #expect(metrics.perClass["a"]?.precision == 1)
        #expect(metrics.perClass["a"]?.recall == 2.0 / 3.0)
        #expect(metrics.perClass["b"]?.precision == 0.5)
        #expect(metrics.perClass["c"]?.recall == 1)
        let f1 = [0.8, 0.5, 2.0 / 3.0].reduce(0, +) / 3
        #expect(abs(metrics.macroF1 - f1) < 1e-12)
        #expect(metrics.auc != nil)
    }

    @Test func theBinaryAUCIsTheSecondClasssScore() {
        let metrics = ClassificationMetrics(classes: ["normal", "pneumonia"], truth: [0, 0, 1, 1],
                                            probabilities: [[0.9, 0.1], [0.4, 0.6], [0.55, 0.45], [0.2, 0.8]])
        #expect(metrics.auc == 0.75)
        #expect(metrics.accuracy == 0.5)
    }
}
