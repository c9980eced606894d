import Foundation
public import Inference

/// `models train` and `models evaluate`: image classifiers kept under `<data>/models`.
public struct ImageClassifierWorkflow: Sendable {
    public let dataDirectory: String
    public let models: ImageModels
    /// Where aliases live; without one, references are by number only.
    public let aliases: (any ModelAliasStore)?

    public init(dataDirectory: String, models: ImageModels = .current, aliases: (any ModelAliasStore)? = nil) {
        self.dataDirectory = dataDirectory
        self.models = models
        self.aliases = aliases ?? (try? Stores.current.modelAliases(in: dataDirectory))
    }

    /// The name and version `reference` means: "name" (the newest version not deprecated), "name@3", or
    /// "name@production" (an alias).
    public func resolve(_ reference: String) throws -> (name: String, version: Int) {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        try ModelStore.validate(name: parts.first ?? "")
        let name = parts[0]
        guard parts.count == 2 else {
            let versions = store.versions(of: name)
            guard let newest = versions.last else { throw ModelStoreError("no model named \(name) (see `medlocal models list`)") }
            let deprecated = try deprecations(name)
            guard let current = versions.last(where: { deprecated[$0] == nil }) else {
                throw ModelStoreError("every version of \(name) is deprecated; name one (\(name)@\(newest))")
            }
            return (name, current)
        }
        if let number = Int(parts[1]) { return (name, number) }
        guard let version = try aliases?.aliases(model: name)[parts[1]] else {
            throw ModelStoreError("\(name) has no version or alias \(parts[1])")
        }
        return (name, version)
    }

    /// version → reason for the deprecated versions of `name` (none without a registry store).
    public func deprecations(_ name: String) throws -> [Int: String] {
        try aliases?.deprecations(model: name) ?? [:]
    }

    /// Points `alias` of `name` at `version` (which must exist and not be deprecated).
    public func promote(_ name: String, version: Int, to alias: String, by user: String) throws {
        guard alias.wholeMatch(of: /[a-z][a-z0-9-]{0,31}/) != nil else {
            throw ModelStoreError("\"\(alias)\" is not an alias (lower-case letters, digits and '-', up to 32, starting with a letter)")
        }
        guard store.versions(of: name).contains(version) else { throw ModelStoreError("no model \(name)@\(version)", kind: .notFound) }
        guard let aliases else { throw ModelStoreError("this build has no alias store") }
        if let reason = try aliases.deprecations(model: name)[version] {
            throw ModelStoreError("\(name)@\(version) is deprecated (\(reason)); promote another version")
        }
        try aliases.setAlias(alias, model: name, version: version, by: user)
    }

    /// Deprecates a version: it still classifies when named, but the bare name moves to the newest other version.
    /// A version an alias points at cannot be deprecated until the alias is moved (the alias would keep serving it).
    public func deprecate(_ name: String, version: Int, reason: String, by user: String) throws {
        guard store.versions(of: name).contains(version) else { throw ModelStoreError("no model \(name)@\(version)", kind: .notFound) }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw ModelStoreError("give a reason for deprecating (up to 500 characters)") }
        guard let aliases else { throw ModelStoreError("this build has no registry store") }
        try refuseIfAliased(name, version)
        try aliases.deprecate(model: name, version: version, reason: reason, by: user)
    }

    /// Deletes a deprecated version's files for good (its number is never reused). Deprecate first, so that clients
    /// and the bare name have moved on before the files go.
    public func delete(_ name: String, version: Int, by user: String) throws {
        guard store.versions(of: name).contains(version) else { throw ModelStoreError("no model \(name)@\(version)", kind: .notFound) }
        guard let aliases else { throw ModelStoreError("this build has no registry store") }
        guard try aliases.deprecations(model: name)[version] != nil else {
            throw ModelStoreError("\(name)@\(version) is not deprecated; deprecate it first (models deprecate \(name)@\(version) --reason …)",
                                  kind: .conflict)
        }
        try refuseIfAliased(name, version)
        try store.delete(name: name, version: version, by: user)
        try aliases.forget(model: name, version: version)
    }

    private func refuseIfAliased(_ name: String, _ version: Int) throws {
        let pointing = (try aliases?.aliases(model: name) ?? [:]).filter { $0.value == version }.keys.sorted()
        guard pointing.isEmpty else {
            throw ModelStoreError("\(name)@\(version) is what alias \(pointing.joined(separator: ", ")) points at; promote another version first",
                                  kind: .conflict)
        }
    }

    var modelsFolder: URL { URL(fileURLWithPath: dataDirectory).appendingPathComponent("models") }
    public var store: ModelStore { ModelStore(root: modelsFolder) }

    /// Validates the dataset, trains a head on the backbone's (cached) features and saves a new version.
    public func train(dataset folder: String, name: String, base: String, settings: HeadTrainer.Settings = .init(),
                      pixelKernel: PixelKernelModel.Settings? = .init(), progress: (ClassifierTraining.Progress) -> Void = { _ in }) throws -> (manifest: ModelManifest, dataset: LabelledDataset) {
        try ModelStore.validate(name: name)
        let source = try DatasetSource(folder)
        defer { source.close() }
        let dataset = try LabelledDataset(folder: source.folder, decoder: models.requireDecoder())
        let backbone = try models.backbone(base)
        var training = ClassifierTraining(
            features: backbone.features,
            cache: FeatureCache(folder: modelsFolder.appendingPathComponent(".feature-cache"), backboneSHA256: backbone.sha256,
                                preprocessing: backbone.features.preprocessing))
        training.settings = settings
        training.pixelKernelSettings = pixelKernel
        let result = try training.train(dataset, base: base, progress: progress)
        let manifest = try store.save(name: name, head: result.classifier.head, views: result.classifier.views, card: result.card,
                                      backboneSHA256: backbone.sha256, preprocessing: backbone.features.preprocessing)
        return (manifest, dataset)
    }

    /// The classifier of `reference` ("name", "name@3"), refusing one trained on another backbone than installed.
    public func classifier(_ reference: String) throws -> (manifest: ModelManifest, classifier: ImageClassifier) {
        let (name, version) = try resolve(reference)
        let (manifest, head) = try store.load(name: name, version: version)
        if manifest.isUploaded {
            guard let loadRuntime = models.loadRuntime else { throw InputError(.unreadable, "this build has no model runtime wired in") }
            let network = try loadRuntime().load(store.uploadedModel(manifest), threads: 0)
            return (manifest, try ImageClassifier.assemble(manifest, head: head, network: network))
        }
        let backbone = try models.backbone(manifest.base)
        guard backbone.sha256 == manifest.backboneSHA256 else {
            throw ModelStoreError("\(manifest.name)@\(manifest.version) was trained on a different \(manifest.base) file than the one installed")
        }
        guard manifest.preprocessing == backbone.features.preprocessing else {
            throw ModelStoreError("\(manifest.name)@\(manifest.version) records preprocessing this build does not apply")
        }
        return (manifest, ImageClassifier(features: backbone.features, head: head, views: manifest.views))
    }

    /// Scores a model on another labelled folder; its class folders must be the model's classes.
    public func evaluate(_ reference: String, dataset folder: String) throws -> (manifest: ModelManifest, metrics: ClassificationMetrics, dataset: LabelledDataset) {
        let (manifest, classifier) = try classifier(reference)
        var rules = LabelledDataset.Rules()
        rules.minimumPerClass = 1
        let source = try DatasetSource(folder)
        defer { source.close() }
        let dataset = try LabelledDataset(folder: source.folder, decoder: models.requireDecoder(), rules: rules)
        let unknown = dataset.classes.filter { !manifest.classes.contains($0) }
        guard unknown.isEmpty else {
            throw DatasetError("\(folder): class folder(s) \(unknown.joined(separator: ", ")) are not classes of \(manifest.name) (\(manifest.classes.joined(separator: ", ")))")
        }
        let truth = dataset.images.map { manifest.classes.firstIndex(of: dataset.classes[$0.label])! }
        let probabilities = try dataset.images.map { try classifier.probabilities(of: $0.image) }
        return (manifest, ClassificationMetrics(classes: manifest.classes, truth: truth, probabilities: probabilities), dataset)
    }
}

extension ImageClassifierWorkflow {
    public struct Classification: Sendable, Codable {
        public var file: String
        public var model: String
        public var version: Int
        public var prediction: ImageClassifier.Prediction
        public var advice: DiagnosisAdvice?
        /// Why the version used is deprecated, when it is.
        public var deprecated: String?

        public init(file: String, model: String, version: Int, prediction: ImageClassifier.Prediction, advice: DiagnosisAdvice?,
                    deprecated: String? = nil) {
            (self.file, self.model, self.version, self.prediction, self.advice, self.deprecated) = (file, model, version, prediction, advice, deprecated)
        }
    }

    /// Classifies image files locally with `reference`, each result with the knowledge base's advice when one is given.
    public func classify(_ files: [String], with reference: String, knowledgeBase: KnowledgeBaseWorkflow?) throws -> [Classification] {
        let (manifest, classifier) = try classifier(reference)
        let decoder = try models.requireDecoder()
        let deprecated = try deprecations(manifest.name)[manifest.version]
        return try files.map { file in
            guard let data = FileManager.default.contents(atPath: file) else { throw InputError(.unreadable, "\(file): cannot be read") }
            let image: RGBImage
            do { image = try decoder.decodeColor([UInt8](data)) } catch { throw InputError(.unreadable, "\(file): \(error)") }
            let prediction = try classifier.classify(image)
            let advice = try knowledgeBase?.advice(model: manifest.name, label: prediction.label)
            return Classification(file: file, model: manifest.name, version: manifest.version, prediction: prediction, advice: advice,
                                  deprecated: deprecated)
        }
    }
}
