import Anonymization
import ArgumentParser
import Core
import Foundation
import Inference
import Workflows

/// `medlocal models`: image classifiers trained by transfer learning, kept under `<data>/models`.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Train, evaluate and list image classifiers (transfer learning from a pretrained backbone).",
        subcommands: [ModelsTrainCommand.self, ModelsUploadCommand.self, ModelsEvaluateCommand.self, ModelsListCommand.self, ModelsPromoteCommand.self, ModelsDeprecateCommand.self, ModelsDeleteCommand.self, ModelsClassifyCommand.self, ModelsExportCommand.self, ModelsVerifyCommand.self, ModelsBenchCommand.self]
    )
}

struct ModelDataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data folder; models live in its models/ (default: $MEDLOCAL_DATA_DIR or var).")
    var dataDirectory: String?

    var folder: String { DataLocations.dataDirectory(dataDirectory) }

    var workflow: ImageClassifierWorkflow { ImageClassifierWorkflow(dataDirectory: folder) }

    /// Who a registry change from the command line is recorded as.
    static var actor: String { "cli:\(NSUserName())" }
}

/// `medlocal models train DATASET --name NAME`.
struct ModelsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a new version of a classifier on a folder with one sub-folder of images per class.",
        discussion: """
        The folder is checked first: unreadable files, exact duplicates and images under 16 px on a side are removed \
        and listed; a class with fewer than 10 usable images stops the run. The backbone's features are cached per \
        image, so training again on the same images skips the backbone.
        """
    )

    @Argument(help: "The dataset folder: DATASET/<class>/<image>.") var dataset: String
    @Option(help: "The model's name; each run adds a version.") var name: String
    @Option(help: "The pretrained backbone.") var base = "efficientnet-lite0"
    @Option(help: "The seed of the cross-validation folds, the batch order and the pixel kernel's sample.") var seed: UInt64 = HeadTrainer.Settings().seed
    @Flag(inversion: .prefixedNo,
          help: "Average the head with a kernel model on the images' 28 × 28 grey pixels (the bundle then carries those pixels).")
    var pixelKernel = true
    @Flag(help: "Print the new version's manifest as JSON.") var json = false
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        var settings = HeadTrainer.Settings()
        settings.seed = seed
        let (manifest, dataset) = try Failure.guardingValue {
            try data.workflow.train(dataset: self.dataset, name: name, base: base, settings: settings,
                                    pixelKernel: pixelKernel ? PixelKernelModel.Settings() : nil, progress: report)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        if json { return print(try ModelOutput.json(manifest)) }
        for removal in dataset.removed { print("removed \(removal.path): \(removal.reason.rawValue) — \(removal.detail)") }
        print(ModelOutput.summary(manifest))
    }

    private func report(_ progress: ClassifierTraining.Progress) {
        let line: String
        switch progress {
        case .features(let done, let total, let cached):
            // Every 5 % and at the end: a line per batch would flood a log.
            guard done == total || done == cached || (done * 20 / max(1, total)) != ((done - ClassifierTraining.batchSize) * 20 / max(1, total)) else { return }
            line = "\rfeatures \(done)/\(total) (\(cached) cached)"
        case .epoch(let epoch, let loss, let fold, let folds):
            line = "\rfold \(fold)/\(folds) epoch \(epoch): validation loss \(String(format: "%.4f", loss))          "
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// `medlocal models upload MODEL.onnx --labels LABELS --name NAME`.
struct ModelsUploadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Register an externally trained ONNX image classifier (with its labels file) as a new version.",
        discussion: """
        The model must load in ONNX Runtime, take one float image tensor [batch, 3, H, W] (square; a dynamic size \
        takes --size, default 224) and give one score per label; it is run on sample images before anything is \
        written. The labels file has one class per line, in the order of the model's output. The version is stored, \
        listed, bundled, signed and classified like a trained one. --evaluate scores it on a labelled folder first.
        """
    )

    @Argument(help: "The ONNX file.") var model: String
    @Option(help: "The labels file: one class per line, in output order.") var labels: String
    @Option(help: "The model's name; each upload adds a version.") var name: String
    @Option(help: "The output holding the class scores (needed when several outputs could).") var output: String?
    @Option(help: "The input side in pixels, for a model whose input size is dynamic.") var size: Int?
    @Option(help: "What the output holds: logits or probabilities (detected from a sample run when left out).")
    var outputKind: String?
    @Option(help: "The input normalisation the model was trained with: imagenet, symmetric (-1…1) or unit (0…1).")
    var normalization = "imagenet"
    @Option(help: "Per-channel means R,G,B in pixel units (0–255), with --std; overrides --normalization.") var mean: String?
    @Option(help: "Per-channel standard deviations R,G,B in pixel units, with --mean.") var std: String?
    @Option(help: "A labelled folder (DATASET/<class>/<image>) to score the model on before it is registered.") var evaluate: String?
    @Flag(help: "Print the new version's manifest as JSON.") var json = false
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let manifest = try Failure.guardingValue {
            guard let bytes = FileManager.default.contents(atPath: model) else { throw InputError(.unreadable, "\(model): cannot be read") }
            guard let labelData = FileManager.default.contents(atPath: labels) else { throw InputError(.unreadable, "\(labels): cannot be read") }
            guard let labelText = String(data: labelData, encoding: .utf8) else { throw InputError(.unreadable, "\(labels): not UTF-8 text") }
            let kind = try outputKind.map { text throws(ModelStoreError) in try ClassifierOutput.Kind(option: text) }
            let request = ImageClassifierWorkflow.UploadRequest(
                name: name, filename: (model as NSString).lastPathComponent, labels: labelText, output: output, size: size, kind: kind,
                normalization: try InputNormalization(preset: normalization, mean: mean, std: std), evaluationDataset: evaluate)
            return try data.workflow.upload(bytes, request, by: ModelDataOptions.actor)
        }
        print(json ? try ModelOutput.json(manifest) : ModelOutput.summary(manifest))
    }
}

/// `medlocal models evaluate NAME[@VERSION] DATASET`.
struct ModelsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on another labelled folder: accuracy, macro-F1, ROC AUC, per-class precision/recall, confusion."
    )

    @Argument(help: "NAME or NAME@VERSION (default: the latest version).") var model: String
    @Argument(help: "A folder with one sub-folder per class, named as the model's classes.") var dataset: String
    @Flag(help: "JSON: {\"accuracy\", \"macro_f1\", \"auc\", \"per_class\", \"confusion\", …}.") var json = false
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let (manifest, metrics, _) = try Failure.guardingValue { try data.workflow.evaluate(model, dataset: dataset) }
        if json { return print(try ModelOutput.json(metrics)) }
        print("\(manifest.name)@\(manifest.version) on \(metrics.count) images")
        print(ModelOutput.table(metrics))
    }
}

/// `medlocal models list`.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List models and their versions.")

    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let store = data.workflow.store
        for name in store.names() {
            let deprecated = (try? data.workflow.deprecations(name)) ?? [:]
            for version in store.versions(of: name) {
                guard let (manifest, _) = try? store.load(name: name, version: version) else {
                    print("\(name)@\(version)  (damaged: run `medlocal models evaluate` for the reason)")
                    continue
                }
                print(ModelOutput.summary(manifest) + (deprecated[version].map { "  [deprecated: \($0)]" } ?? ""))
            }
            if let aliases = try? data.workflow.aliases?.aliases(model: name), !aliases.isEmpty {
                print("  aliases: " + aliases.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}

/// `medlocal models deprecate NAME@VERSION --reason …`.
struct ModelsDeprecateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deprecate",
        abstract: "Mark a version deprecated: it still classifies when named, the bare name moves to the newest other version, clients are warned.")

    @Argument(help: "NAME@VERSION.") var model: String
    @Option(help: "Why (shown in the model list and to clients).") var reason: String
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let (name, version) = try Failure.guardingValue {
            let workflow = data.workflow
            let (name, version) = try workflow.resolve(model)
            try workflow.deprecate(name, version: version, reason: reason, by: ModelDataOptions.actor)
            return (name, version)
        }
        print("\(name)@\(version) deprecated")
    }
}

/// `medlocal models delete NAME@VERSION`.
struct ModelsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a deprecated version's files for good (its number is never reused).")

    @Argument(help: "NAME@VERSION (a number: an alias or the bare name is refused).") var model: String
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        try Failure.guarding {
            let parts = model.split(separator: "@", maxSplits: 1).map(String.init)
            guard parts.count == 2, let version = Int(parts[1]) else { throw ModelStoreError("name the version to delete by its number: NAME@VERSION") }
            try data.workflow.delete(parts[0], version: version, by: ModelDataOptions.actor)
            print("\(parts[0])@\(version) deleted")
        }
    }
}

/// `medlocal models promote NAME@VERSION --alias production`.
struct ModelsPromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Point an alias (production, candidate, …) at a version; NAME@ALIAS then means that version.")

    @Argument(help: "NAME@VERSION.") var model: String
    @Option(help: "The alias: lower-case letters, digits and '-'.") var alias: String
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let (name, version) = try Failure.guardingValue {
            let workflow = data.workflow
            let (name, version) = try workflow.resolve(model)
            try workflow.promote(name, version: version, to: alias, by: ModelDataOptions.actor)
            return (name, version)
        }
        print("\(name)@\(alias) → \(name)@\(version)")
    }
}

/// `medlocal models classify NAME[@VERSION] IMAGE…`: local inference with the knowledge base's advice.
struct ModelsClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Classify images with a model, on this machine, and show the knowledge base's advice for each label.")

    @Argument(help: "NAME or NAME@VERSION.") var model: String
    @Argument(help: "Images: PNG, JPEG, BMP, TIFF or uncompressed DICOM.") var images: [String]
    @Flag(help: "Print JSON lines, one per image.") var json = false
    @OptionGroup var data: ModelDataOptions

    func run() throws {
        let results = try Failure.guardingValue {
            try data.workflow.classify(images, with: model, knowledgeBase: KnowledgeBaseWorkflow(dataDirectory: data.folder))
        }
        if let first = results.first, let reason = first.deprecated {
            FileHandle.standardError.write(Data("medlocal: warning: \(first.model)@\(first.version) is deprecated (\(reason))\n".utf8))
        }
        for result in results {
            if json {
                print(try ModelOutput.json(result).replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: ""))
                continue
            }
            print("\(result.file): \(result.prediction.label) (p = \(String(format: "%.3f", result.prediction.probability)), \(result.model)@\(result.version))")
            if let advice = result.advice { print(AdviceText.render(advice).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")) }
        }
    }
}

/// `medlocal models export NAME[@VERSION] -o FILE`: the signed bundle a client caches.
struct ModelsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model version as one signed bundle (manifest, head, backbone; Ed25519 by the project key).")

    @Argument(help: "NAME or NAME@VERSION.") var model: String
    @Option(name: .shortAndLong, help: "The bundle file to write.") var output: String
    @OptionGroup var data: ModelDataOptions
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        let manifest = try Failure.guardingValue {
            try data.workflow.exportBundle(model, to: output, key: ProjectKey.load(from: keyOptions.path))
        }
        print("\(manifest.name)@\(manifest.version) → \(output)")
    }
}

/// `medlocal models verify FILE`: checks a bundle's signature and hashes against this project's key.
struct ModelsVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a model bundle's signature and every file's SHA-256 (exit 4 when it fails).")

    @Argument(help: "A bundle written by `models export`.") var bundle: String
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        let key = try Failure.guardingValue { try ProjectKey.load(from: keyOptions.path) }
        do {
            let contents = try ModelBundle.read(bundle, signedWith: key)
            print("valid: \(contents.manifest.name)@\(contents.manifest.version), classes \(contents.manifest.classes.joined(separator: ", "))")
        } catch {
            FileHandle.standardError.write(Data("medlocal: \(bundle): bundle INVALID: \(error)\n".utf8))
            throw ExitCode(ExitStatus.verificationFailed.rawValue)
        }
    }
}

/// `medlocal models bench IMAGE`: backbone milliseconds per image (used by `make bench-models`).
struct ModelsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time the backbone on one image at 224 × 224: median ms per image over repeated runs.")

    @Argument(help: "An image (PNG, JPEG, BMP, TIFF).") var image: String
    @Option(help: "Threads for the runtime; 0 = all cores.") var threads = 1
    @Option(help: "Timed runs.") var runs = 50

    func run() throws {
        let report = try Failure.guardingValue {
            guard let data = FileManager.default.contents(atPath: image) else { throw InputError(.unreadable, "\(image): cannot be read") }
            let decoded = try ImageModels.current.requireDecoder().decodeColor([UInt8](data))
            return try BackboneBenchmark().run(image: decoded, threads: threads, runs: runs)
        }
        let label = threads == 0 ? "all threads" : "\(threads) thread\(threads == 1 ? "" : "s")"
        print(String(format: "backbone efficientnet-lite0, %@: %.2f ms/image inference, %.2f ms/image with preprocessing and pooling (median of %d)",
                     label, report.inferenceMilliseconds, report.endToEndMilliseconds, report.runs))
    }
}

enum ModelOutput {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func summary(_ manifest: ModelManifest) -> String {
        let card = manifest.card
        if let upload = card.upload { return uploadSummary(manifest, upload) }
        // Cross-validation trains and scores every image; a held-out split does one or the other.
        let images = { (count: ModelCard.ClassCount) in card.crossValidationFolds == nil ? count.training + count.validation : count.training }
        let counts = manifest.classes.map { "\($0) \(card.counts[$0].map(images) ?? 0)" }.joined(separator: ", ")
        let scoring = card.crossValidationFolds.map { "  \($0)-fold cross-validation" } ?? "  validation"
        let epochs = card.foldBestEpochs.map { "best epochs \($0.map(String.init).joined(separator: ", "))" }
            ?? "\(card.epochs) epochs, best \(card.bestEpoch)"
        return "\(manifest.name)@\(manifest.version)  base \(manifest.base)  classes: \(counts)\n"
            + (card.validation.map { "\(scoring) \(scores($0))\n" } ?? "")
            + (card.featureRegressionOnly.map { "  feature regression alone, same images: \(briefScores($0))\n" } ?? "")
            + (card.rawPixelBaseline.map { "  raw-pixel baseline, same images: \(briefScores($0))\n" } ?? "")
            + "  features \(String(format: "%.1f", card.featureSeconds)) s, head \(String(format: "%.1f", card.trainingSeconds)) s (\(epochs)); dataset \(card.datasetSHA256.prefix(12))…"
    }

    static func briefScores(_ metrics: ClassificationMetrics) -> String {
        "accuracy \(String(format: "%.4f", metrics.accuracy)), AUC \(metrics.auc.map { String(format: "%.4f", $0) } ?? "n/a")"
    }

    static func scores(_ metrics: ClassificationMetrics) -> String {
        let auc = metrics.auc.map { String(format: "%.4f", $0) } ?? "n/a"
        return "(\(metrics.count) images): accuracy \(String(format: "%.4f", metrics.accuracy)), macro-F1 \(String(format: "%.4f", metrics.macroF1)), AUC \(auc)"
    }

    static func uploadSummary(_ manifest: ModelManifest, _ upload: ModelCard.Upload) -> String {
        let input = manifest.preprocessing
        return "\(manifest.name)@\(manifest.version)  uploaded ONNX classifier \(upload.filename) (sha256 \(upload.sha256.prefix(12))…) by \(upload.by)\n"
            + "  classes: \(manifest.classes.joined(separator: ", "))\n"
            + "  input \(input.size) × \(input.size) RGB; output \(upload.output.name) (\(upload.output.kind.rawValue)); ran on \(upload.sampleImages) sample images\n"
            + (manifest.card.validation.map { "  evaluated \(scores($0)); dataset \(manifest.card.datasetSHA256.prefix(12))…" }
                ?? "  not evaluated on labelled images (give --evaluate DATASET to score it before clinicians see it)")
    }

    static func table(_ metrics: ClassificationMetrics) -> String {
        var lines = [String(format: "accuracy %.4f  macro-F1 %.4f  AUC %@", metrics.accuracy, metrics.macroF1, metrics.auc.map { String(format: "%.4f", $0) } ?? "n/a")]
        lines.append("class                 precision  recall  f1      support")
        for name in metrics.classes {
            guard let c = metrics.perClass[name] else { continue }
            lines.append(name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%.4f     %.4f  %.4f  %d", c.precision, c.recall, c.f1, c.support))
        }
        lines.append("confusion (rows: truth, columns: prediction, in class order): \(metrics.confusion)")
        return lines.joined(separator: "\n")
    }
}
