import Foundation
import Testing
import TestSupport

/// `medlocal models upload`: externally trained ONNX classifiers (two tiny colour classifiers written by
/// Scripts/make-test-classifiers.py) registered beside trained models.
@Suite("medlocal models upload", .serialized)
struct ModelUploadCommandTests {
    static let fixtures = Fixtures.repositoryRoot.appendingPathComponent("Tests/CLITests/Fixtures")
    static let logits = fixtures.appendingPathComponent("colour-logits.onnx").path
    static let softmax = fixtures.appendingPathComponent("colour-softmax.onnx").path
    static let labels = fixtures.appendingPathComponent("colour-labels.txt").path

    /// DATASET/<colour>/<n>.bmp, two shades of each colour.
    func colourDataset(in folder: URL) throws -> URL {
        let root = folder.appendingPathComponent("colours")
        let shades: [String: [(UInt8, UInt8, UInt8)]] = ["red": [(220, 30, 40), (180, 60, 50)], "green": [(30, 200, 60), (70, 160, 40)],
                                                         "blue": [(40, 50, 210), (60, 90, 170)]]
        for (name, colours) in shades {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
            for (n, colour) in colours.enumerated() { try TestImages.bmp(colour).write(to: root.appendingPathComponent("\(name)/\(n).bmp")) }
        }
        return root
    }

    @Test("An uploaded classifier with its labels is stored, listed, scored, classified and bundled like a trained one")
    func uploadClassifyAndBundle() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let colours = try colourDataset(in: folder)
        let upload = try Run(["models", "upload", Self.logits, "--labels", Self.labels, "--name", "colours", "--evaluate", colours.path,
                              "--data-dir", data], in: folder)
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.contains("colours@1  uploaded ONNX classifier colour-logits.onnx"))
        #expect(upload.stdout.contains("input 224 × 224 RGB; output logits (logits)"))
        #expect(upload.stdout.contains("evaluated (6 images): accuracy 1.0000"))

        let manifest = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("var/models/colours/1/manifest.json"))) as? [String: Any])
        #expect(manifest["format"] as? String == "medlocal-onnx-classifier/1" && manifest["base"] as? String == "external")
        #expect((manifest["classes"] as? [String]) == ["red", "green", "blue"])
        let preprocessing = try #require(manifest["preprocessing"] as? [String: Any])
        #expect((preprocessing["channel_means"] as? [Double])?.first == 123.675)

        let image = folder.appendingPathComponent("mauve.bmp")
        try TestImages.bmp((150, 120, 130)).write(to: image)
        let classify = try Run(["models", "classify", "colours", image.path, "--json", "--data-dir", data], in: folder)
        #expect(classify.status == 0, "\(classify.stderr)")
        let result = try #require(JSONSerialization.jsonObject(with: Data(classify.stdout.utf8)) as? [String: Any])
        let prediction = try #require(result["prediction"] as? [String: Any])
        let probabilities = try #require(prediction["probabilities"] as? [String: Double])
        // The model's own formula: softmax(4 × the ImageNet-normalised channel means).
        let logits = [(150 - 123.675) / 58.395, (120 - 116.28) / 57.12, (130 - 103.53) / 57.375].map { 4 * $0 }
        let total = logits.map { exp($0) }.reduce(0, +)
        for (label, logit) in zip(["red", "green", "blue"], logits) {
            #expect(abs((probabilities[label] ?? 0) - exp(logit) / total) < 1e-3, "\(label): \(probabilities)")
        }
        #expect(prediction["label"] as? String == "blue")

        let evaluate = try Run(["models", "evaluate", "colours", colours.path, "--json", "--data-dir", data], in: folder)
        #expect(evaluate.status == 0 && evaluate.stdout.contains("\"accuracy\" : 1"), "\(evaluate.stdout)")

        // The bundle has the trained form: the network stands where the backbone does, signed like any other.
        let keyFile = folder.appendingPathComponent("key").path
        #expect(try Run(["keygen", "-o", keyFile], in: folder).status == 0)
        let bundle = folder.appendingPathComponent("colours.bundle").path
        let export = try Run(["models", "export", "colours@1", "-o", bundle, "--key-file", keyFile, "--data-dir", data], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        let verify = try Run(["models", "verify", bundle, "--key-file", keyFile], in: folder)
        #expect(verify.status == 0, "\(verify.stderr)")

        let list = try Run(["models", "list", "--data-dir", data], in: folder)
        #expect(list.stdout.contains("colours@1  uploaded ONNX classifier"))
    }

    @Test("A probability output is detected and read back exactly; a fixed-batch, fixed-size model runs one image at a time")
    func probabilityOutput() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("var").path
        let upload = try Run(["models", "upload", Self.softmax, "--labels", Self.labels, "--name", "colours", "--output", "probabilities",
                              "--normalization", "unit", "--data-dir", data], in: folder)
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.contains("input 32 × 32 RGB; output probabilities (probabilities)"))
        #expect(upload.stdout.contains("not evaluated on labelled images"))
        let images = try ["a": (200, 100, 60), "b": (90, 100, 95)].map { name, rgb in
            let url = folder.appendingPathComponent("\(name).bmp")
            try TestImages.bmp((UInt8(rgb.0), UInt8(rgb.1), UInt8(rgb.2))).write(to: url)
            return (url.path, [Double(rgb.0), Double(rgb.1), Double(rgb.2)].map { 4 * $0 / 255 })
        }
        let classify = try Run(["models", "classify", "colours", images[0].0, images[1].0, "--json", "--data-dir", data], in: folder)
        #expect(classify.status == 0, "\(classify.stderr)")
        let lines = classify.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for (line, (_, logits)) in zip(lines, images) {
            let result = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let probabilities = try #require((result["prediction"] as? [String: Any])?["probabilities"] as? [String: Double])
            let total = logits.map { exp($0) }.reduce(0, +)
            for (label, logit) in zip(["red", "green", "blue"], logits) {
                #expect(abs((probabilities[label] ?? 0) - exp(logit) / total) < 1e-3, "\(label): \(probabilities)")
            }
        }
    }

    @Test(arguments: [
        (["--labels", "two"], "colour-logits.onnx", "no output has one score per label"),
        (["--labels", "twice"], "colour-logits.onnx", "appears twice"),
        ([], "colour-softmax.onnx", "several outputs could hold the scores"),
        (["--output", "probabilities", "--size", "64"], "colour-softmax.onnx", "fixed at 32 × 32"),
        (["--output-kind", "probabilities"], "colour-logits.onnx", "declared probabilities"),
        (["--output", "nope"], "colour-logits.onnx", "has no output nope"),
        (["--mean", "1,2"], "colour-logits.onnx", "go together"),
        ([], "truncated.onnx", "not a model ONNX Runtime loads"),
        ([], "gemm-relu.onnx", "[batch, 3, height, width]"),
    ])
    func refusals(extra: [String], model: String, reason: String) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "red\ngreen\n".write(to: folder.appendingPathComponent("two"), atomically: true, encoding: .utf8)
        try "red\ngreen\nred\n".write(to: folder.appendingPathComponent("twice"), atomically: true, encoding: .utf8)
        try Data(contentsOf: URL(fileURLWithPath: Self.logits)).prefix(100).write(to: folder.appendingPathComponent("truncated.onnx"))
        let fixtures = ["truncated.onnx": folder.appendingPathComponent("truncated.onnx").path,
                        "gemm-relu.onnx": Fixtures.repositoryRoot.appendingPathComponent("Tests/InferenceONNXRuntimeTests/Fixtures/gemm-relu.onnx").path]
        let path = fixtures[model] ?? Self.fixtures.appendingPathComponent(model).path
        var arguments = ["models", "upload", path, "--name", "colours", "--data-dir", folder.appendingPathComponent("var").path]
        arguments += extra.contains("--labels") ? extra.map { $0 == "two" || $0 == "twice" ? folder.appendingPathComponent($0).path : $0 }
                                                : ["--labels", Self.labels] + extra
        let run = try Run(arguments, in: folder)
        #expect(run.status == 1, "\(run.stdout)")
        #expect(run.stderr.contains(reason), "\(run.stderr)")
        // Nothing of a refused upload is written.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("var/models/colours/1").path))
    }
}
