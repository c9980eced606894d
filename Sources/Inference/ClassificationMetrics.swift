/// How well a classifier did on labelled images: what `models evaluate --json` prints and a model card holds.
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    public struct PerClass: Sendable, Equatable, Codable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
        /// One-vs-rest ROC AUC of this class's probability.
        public var auc: Double?
    }

    public var classes: [String]
    public var count: Int
    public var accuracy: Double
    public var macroF1: Double
    /// Binary: the AUC of the second class's probability; more classes: the macro mean of one-vs-rest AUCs.
    public var auc: Double?
    public var perClass: [String: PerClass]
    /// confusion[truth][prediction]
    public var confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case classes, count, accuracy, auc, confusion
        case macroF1 = "macro_f1"
        case perClass = "per_class"
    }

    /// - Parameters:
    ///   - truth: the true class index of each image.
    ///   - probabilities: each image's class probabilities, in `classes` order.
    public init(classes: [String], truth: [Int], probabilities: [[Double]]) {
        precondition(truth.count == probabilities.count, "one probability vector per image")
        let k = classes.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (label, p) in zip(truth, probabilities) {
            let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
            confusion[label][predicted] += 1
        }
        var perClass: [String: PerClass] = [:], aucs: [Double] = []
        for c in 0..<k {
            let truePositives = Double(confusion[c][c])
            let predicted = Double((0..<k).reduce(0) { $0 + confusion[$1][c] })
            let actual = Double(confusion[c].reduce(0, +))
            let precision = predicted > 0 ? truePositives / predicted : 0
            let recall = actual > 0 ? truePositives / actual : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            let auc = Self.rocAUC(scores: probabilities.map { $0[c] }, positives: truth.map { $0 == c })
            if let auc { aucs.append(auc) }
            perClass[classes[c]] = PerClass(precision: precision, recall: recall, f1: f1, support: Int(actual), auc: auc)
        }
        self.classes = classes
        count = truth.count
        accuracy = truth.isEmpty ? 0 : Double((0..<k).reduce(0) { $0 + confusion[$1][$1] }) / Double(truth.count)
        macroF1 = classes.map { perClass[$0]!.f1 }.reduce(0, +) / Double(max(1, k))
        auc = k == 2 ? perClass[classes[1]]?.auc : (aucs.count == k ? aucs.reduce(0, +) / Double(k) : nil)
        self.perClass = perClass
        self.confusion = confusion
    }

    /// The probability that a random positive scores above a random negative (ties count half): the area under
    /// the ROC curve, by ranks. Nil when either side is empty.
    public static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count, negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for i in start...end { ranks[order[i]] = averageRank }
            start = end + 1
        }
        let positiveRankSum = zip(ranks, positives).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (positiveRankSum - Double(positiveCount * (positiveCount + 1)) / 2) / Double(positiveCount * negativeCount)
    }
}
