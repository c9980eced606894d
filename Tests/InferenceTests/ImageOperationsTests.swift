import Foundation
import Inference
import Testing

@Suite struct ImageOperationsTests {
    /// A 2 × 2 image with four distinct pixels.
    let image = RGBImage(width: 2, height: 2, pixels: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])

    @Test func resizingToTheSameSizeKeepsEveryPixel() {
        let channels = image.resizedChannels(width: 2, height: 2)
        #expect(channels[0] == [10, 40, 70, 100])
        #expect(channels[2] == [30, 60, 90, 120])
    }

    @Test func upscalingInterpolatesBetweenPixelCentres() {
        let row = RGBImage(width: 2, height: 1, grey: [0, 100]).resizedChannels(width: 4, height: 1)[0]
        // Centres of the 4 outputs map to −0.25, 0.25, 0.75, 1.25 in the source: clamped, then linear.
        #expect(row == [0, 25, 75, 100])
    }

    @Test func flipCropAndBrightnessDoWhatTheySay() {
        #expect(image.flippedHorizontally().pixels == [40, 50, 60, 10, 20, 30, 100, 110, 120, 70, 80, 90])
        let big = RGBImage(width: 10, height: 10, grey: (0..<100).map { UInt8($0) })
        let crop = big.centreCropped(keeping: 0.6)
        #expect(crop.width == 6 && crop.height == 6)
        #expect(crop.pixels[0] == 22)   // row 2, column 2
        #expect(RGBImage(width: 1, height: 1, grey: [200]).brightened(by: 1.2).pixels == [240, 240, 240])
        #expect(RGBImage(width: 1, height: 1, grey: [250]).brightened(by: 1.2).pixels == [255, 255, 255])
    }

    @Test func preprocessingMapsPixelsToTheBackbonesRange() {
        let tensor = Preprocessing(size: 2).tensor(for: [RGBImage(width: 2, height: 2, grey: [127, 255, 0, 127])])
        #expect(tensor.shape == [1, 3, 2, 2])
        #expect(tensor.values.prefix(4).map { $0 } == [0, 1, -127.0 / 128, 0])
    }

    @Test func poolingGivesMeanMaxAndAQuadrantGrid() {
        // One channel, 2 × 4: left half 1s and 3s, right half 5s and 7s.
        let map = Tensor(shape: [1, 1, 2, 4], values: [1, 1, 5, 5, 3, 3, 7, 7])
        #expect(BackboneFeatures.pooled(map, item: 0) == [4, 7, 1, 5, 3, 7])
    }
}
