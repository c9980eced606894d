import Foundation
@testable import Inference
import Testing

@Suite struct PixelKernelModelTests {
    /// 8 × 8 grey thumbnails whose class is an exclusive or: the top and bottom halves both bright or both dark
    /// (class 0), or one of each (class 1), under noise. No linear model of the pixels separates them.
    static func thumbnails(count: Int, seed: UInt64) -> (pixels: [[Float]], labels: [Int]) {
        var generator = SplitMix64(seed: seed)
        var pixels: [[Float]] = [], labels: [Int] = []
        for _ in 0..<count {
            let top = Bool.random(using: &generator), bottom = Bool.random(using: &generator)
            pixels.append((0..<64).map { i in
                let bright = i < 32 ? top : bottom
                return min(1, max(0, (bright ? 0.7 : 0.3) + Float.random(in: -0.25...0.25, using: &generator)))
            })
            labels.append(top == bottom ? 0 : 1)
        }
        return (pixels, labels)
    }

    static func fitted(seed: UInt64 = 7, settings: PixelKernelModel.Settings = .init()) -> PixelKernelModel {
        let (pixels, labels) = thumbnails(count: 200, seed: 1)
        return PixelKernelModel.fit(thumbnails: pixels, labels: labels, classCount: 2, classWeights: [1, 1], settings: settings, seed: seed)!
    }

    @Test func aProblemNoLinearModelSolvesIsLearned() {
        let model = Self.fitted()
        let (pixels, labels) = Self.thumbnails(count: 200, seed: 2)
        let correct = zip(pixels, labels).filter { x, label in
            let p = model.probabilities(thumbnail: x)
            return (p[1] > p[0] ? 1 : 0) == label
        }.count
        #expect(correct >= 185, "\(correct) of 200")
        #expect(model.supportCount == 200 && model.pixelCount == 64)
    }

    @Test func probabilitiesAreADistributionOverTheClasses() {
        let model = Self.fitted()
        for x in Self.thumbnails(count: 20, seed: 3).pixels {
            let p = model.probabilities(thumbnail: x)
            #expect(p.count == 2 && abs(p.reduce(0, +) - 1) < 1e-9 && p.allSatisfy { $0 > 0 && $0 < 1 })
        }
    }

    @Test func aStoredModelScoresExactlyAsTheOneThatWasFitted() throws {
        let model = Self.fitted()
        let json = try JSONEncoder().encode(model)
        let decoded = try JSONDecoder().decode(PixelKernelModel.self, from: json)
        #expect(decoded == model)
        let x = Self.thumbnails(count: 1, seed: 4).pixels[0]
        #expect(decoded.probabilities(thumbnail: x) == model.probabilities(thumbnail: x))
    }

    @Test func aStoredModelWhoseSizesDisagreeIsRefused() throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.fitted())) as! [String: Any]
        object["coefficients"] = [Float](repeating: 0.5, count: 3)
        let tampered = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PixelKernelModel.self, from: tampered) }
    }

    @Test func aLargeTrainingSetIsSampledPerClassTheSameWayForTheSameSeed() {
        let labels = (0..<1000).map { $0 < 800 ? 0 : 1 }
        let sample = PixelKernelModel.supportIndices(labels: labels, classCount: 2, limit: 100, seed: 3)
        #expect(sample.count == 100)
        #expect(sample.filter { labels[$0] == 1 }.count == 20)
        #expect(sample == PixelKernelModel.supportIndices(labels: labels, classCount: 2, limit: 100, seed: 3))
        #expect(sample != PixelKernelModel.supportIndices(labels: labels, classCount: 2, limit: 100, seed: 4))
        #expect(PixelKernelModel.supportIndices(labels: labels, classCount: 2, limit: 5000, seed: 3) == Array(0..<1000))
    }

    @Test func theCholeskyFactorSolvesASymmetricPositiveDefiniteSystem() throws {
        let matrix: [Double] = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
        let factor = try #require(CholeskyFactor(decomposing: matrix, size: 3))
        let x = factor.solve([1, 2, 3])
        for row in 0..<3 {
            let product = (0..<3).map { matrix[row * 3 + $0] * x[$0] }.reduce(0, +)
            #expect(abs(product - Double(row + 1)) < 1e-12)
        }
        #expect(CholeskyFactor(decomposing: [1, 2, 2, 1], size: 2) == nil, "indefinite")
    }

    @Test func aHeadAveragesItsRegressionWithThePixelKernel() throws {
        let model = Self.fitted()
        // A regression with no weights says 50/50 whatever the features; averaged, the kernel's opinion shows through half-strength.
        var head = SoftmaxHead(classes: ["same", "mixed"], featureMean: [Float](repeating: 0, count: 66),
                               featureScale: [Float](repeating: 1, count: 66), weights: [[Float]](repeating: [Float](repeating: 0, count: 66), count: 2),
                               bias: [0, 0])
        let thumbnail = Self.thumbnails(count: 1, seed: 5).pixels[0]
        let features = [9, 9] + thumbnail
        #expect(head.probabilities(features) == [0.5, 0.5])
        head.pixelKernel = model
        let kernel = model.probabilities(thumbnail: thumbnail)
        let averaged = head.probabilities(features)
        #expect(abs(averaged[0] - (0.5 + kernel[0]) / 2) < 1e-12 && abs(averaged[1] - (0.5 + kernel[1]) / 2) < 1e-12)
        #expect(head.regressionProbabilities(features) == [0.5, 0.5])
    }

    @Test func aHeadStoredBeforeThePixelKernelExistedStillLoads() throws {
        let old = #"{"classes":["a","b"],"featureMean":[0],"featureScale":[1],"weights":[[1],[-1]],"bias":[0,0]}"#
        let head = try JSONDecoder().decode(SoftmaxHead.self, from: Data(old.utf8))
        #expect(head.pixelKernel == nil)
        #expect(head.probabilities([1])[0] > 0.5)
    }
}
