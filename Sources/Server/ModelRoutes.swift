import Anonymization
import Crypto
import Foundation
import Hummingbird
import Inference
import Service
import Synchronization
import Workflows

/// The model list and signed bundles clients download and cache, and the diagnosis lookup they send results to:
/// `GET /models`, `GET /models/signing-key`, `GET /models/{name}/{version}/bundle`, `POST /diagnosis/lookup`.
///
/// The lookup takes a model, a label and a probability — never an image: clients classify locally.
struct ModelRoutes: Sendable {
    struct Listing: Encodable {
        struct Version: Encodable {
            var version: Int, base: String, classes: [String], created: Date
            /// Held-out scores; absent for a model uploaded without an evaluation set.
            var accuracy: Double?, auc: Double?
            /// `trained` here, or `uploaded` (an externally trained ONNX classifier; `backboneSHA256` is then its file's).
            var source: String
            var headSHA256: String, backboneSHA256: String
            /// Why the version is deprecated; absent when it is not.
            var deprecated: String?
        }
        struct Model: Encodable { var name: String, aliases: [String: Int], versions: [Version] }
        var models: [Model]
    }

    struct LookupRequest: Decodable {
        var model: String
        var version: Int?
        var label: String
        var probability: Double?
    }

    let workflow: ImageClassifierWorkflow
    let key: ProjectKey
    let knowledgeBase: KnowledgeBaseWorkflow?
    let committer: AuditCommitter
    let trail: AuditTrail
    /// Where uploads are received, and how large one may be.
    let files: JobFiles
    let uploadLimit: Int
    let classifiers = LoadedClassifiers()

    func add(to group: RouterGroup<ServerContext>) {
        group.get("models") { _, context in try list(context) }
        group.post("models") { request, context in try await upload(request, context) }
        group.get("models/signing-key") { _, context in try signingKey(context) }
        group.get("models/:name/:version/bundle") { _, context in try bundle(context) }
        group.post("diagnosis/lookup") { request, context in try await lookup(request, context) }
        group.post("models/:name/classify") { request, context in try await classify(request, context) }
        group.put("models/:name/aliases/:alias") { request, context in try await promote(request, context) }
        group.post("models/:name/:version/deprecate") { request, context in try await deprecate(request, context) }
        group.delete("models/:name/:version") { _, context in try await delete(context) }
        group.get("kb") { _, context in try exportKnowledgeBase(context) }
        group.post("kb") { request, context in try await importKnowledgeBase(request, context) }
    }

    /// `GET /kb`: the knowledge base as YAML (the format `POST /kb` and `medlocal kb import` take).
    private func exportKnowledgeBase(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        guard let knowledgeBase else { throw Problem(.serviceUnavailable, "unavailable", "this server has no knowledge base wired in") }
        return Reply.bytes(Array(try knowledgeBase.export().yaml().utf8), contentType: "application/yaml; charset=utf-8")
    }

    /// `POST /kb` with YAML: diseases and mappings added or replaced, checked whole first (admin; audited as `kb.import`).
    private func importKnowledgeBase(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "edit the knowledge base")
        guard let knowledgeBase else { throw Problem(.serviceUnavailable, "unavailable", "this server has no knowledge base wired in") }
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        let counts: (Int, Int)
        do { counts = try knowledgeBase.importText(text, name: "the request body") } catch let error as InputError {
            throw Problem.unprocessable(error.description)
        }
        try await audit(user, "kb.import", item: "knowledge-base", input: Data(text.utf8))
        return try Reply.json(["diseases": counts.0, "mappings": counts.1])
    }

    /// `POST /models`, `multipart/form-data`: an externally trained ONNX classifier (`file`) with `name` and `labels`
    /// (one class per line, in output order), and optionally `output`, `size`, `output_kind`, `normalization`, or
    /// `mean` and `std` (R,G,B in pixel units). Checked (loads, shapes, a sample run) and stored as the next version
    /// in the same form as a trained one; admin only, audited as `model.upload`.
    private func upload(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "upload models")
        let received = try await UploadReceiver(limit: uploadLimit, files: files).receive(request)
        defer { try? FileManager.default.removeItem(atPath: received.path) }
        let fields = received.fields
        guard let name = fields["name"], let labels = fields["labels"] else {
            throw Problem.unprocessable("the form needs a 'name' and a 'labels' field (one class per line) beside the 'file'")
        }
        let model = try Data(contentsOf: URL(fileURLWithPath: received.path))
        let manifest: ModelManifest
        do {
            let uploadRequest = ImageClassifierWorkflow.UploadRequest(
                name: name, filename: received.filename, labels: labels, output: fields["output"],
                size: try fields["size"].map { text throws(ModelStoreError) in
                    guard let size = Int(text) else { throw ModelStoreError("size: a whole number of pixels") }
                    return size
                },
                kind: try fields["output_kind"].map { text throws(ModelStoreError) in try ClassifierOutput.Kind(option: text) },
                normalization: try InputNormalization(preset: fields["normalization"], mean: fields["mean"], std: fields["std"]))
            manifest = try workflow.upload(model, uploadRequest, by: user.name)
        } catch let error as ModelStoreError {
            throw Problem.unprocessable(error.description)
        } catch let error as InputError {
            throw Problem.unprocessable(error.description)
        }
        try await audit(user, "model.upload", item: "\(manifest.name)@\(manifest.version)", input: model)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/models/\(manifest.name)/\(manifest.version)/bundle"
        return try Reply.json(manifest, status: .created, headers: headers)
    }

    /// `PUT /models/{name}/aliases/{alias}` `{"version": n}`: admin only, audited as `model.promote`.
    private func promote(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "promote model versions")
        let name = try context.parameters.require("name"), alias = try context.parameters.require("alias")
        var request = request
        let buffer = try await request.collectBody(upTo: 4096)
        guard let body = try? JSONDecoder().decode([String: Int].self, from: Data(buffer.readableBytesView)), let version = body["version"] else {
            throw Problem.badRequest("expected {\"version\": n}")
        }
        try registryChange { try workflow.promote(name, version: version, to: alias, by: user.name) }
        try await audit(user, "model.promote", item: "\(name)@\(alias)", input: Data("\(name)@\(version)".utf8))
        return try Reply.json(["model": name, "alias": alias, "version": String(version)])
    }

    /// `POST /models/{name}/{version}/deprecate` `{"reason": "…"}`: admin only, audited as `model.deprecate`.
    private func deprecate(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "deprecate model versions")
        let (name, version) = try versionParameters(context)
        var request = request
        let buffer = try await request.collectBody(upTo: 4096)
        guard let body = try? JSONDecoder().decode([String: String].self, from: Data(buffer.readableBytesView)), let reason = body["reason"] else {
            throw Problem.badRequest("expected {\"reason\": \"…\"}")
        }
        try registryChange { try workflow.deprecate(name, version: version, reason: reason, by: user.name) }
        try await audit(user, "model.deprecate", item: "\(name)@\(version)", input: Data(reason.utf8))
        return try Reply.json(["model": name, "version": String(version), "deprecated": reason])
    }

    /// `DELETE /models/{name}/{version}`: a deprecated version no alias points at; admin only, audited as `model.delete`.
    private func delete(_ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "delete model versions")
        let (name, version) = try versionParameters(context)
        try registryChange { try workflow.delete(name, version: version, by: user.name) }
        try await audit(user, "model.delete", item: "\(name)@\(version)", input: Data("\(name)@\(version)".utf8))
        return Response(status: .noContent)
    }

    private func versionParameters(_ context: ServerContext) throws -> (String, Int) {
        let name = try context.parameters.require("name"), versionText = try context.parameters.require("version")
        guard let version = Int(versionText) else { throw Problem.badRequest("a version is a number") }
        guard (try? ModelStore.validate(name: name)) != nil, workflow.store.versions(of: name).contains(version) else {
            throw Problem.notFound("no model \(name)@\(version)")
        }
        return (name, version)
    }

    /// A registry or knowledge-base change as an audit event: who, what, on which item, and the input's digest.
    private func audit(_ user: APIUser, _ operation: String, item: String, input: Data) async throws {
        try await committer.commit(trail.event(actor: user.name, operation: operation, item: item, input: input,
                                               output: nil, decision: nil, findings: []))
    }

    /// A missing version is a 404, a registry rule broken (an alias serves it, not deprecated yet) a 409, anything
    /// else (a bad alias or reason, a deprecated version promoted) a 422.
    private func registryChange(_ change: () throws -> Void) throws {
        do { try change() } catch let error as ModelStoreError {
            switch error.kind {
            case .notFound: throw Problem.notFound(error.description)
            case .conflict: throw Problem(.conflict, "conflict", error.description)
            case .invalid: throw Problem.unprocessable(error.description)
            }
        }
    }

    private func list(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        let store = workflow.store
        let models = store.names().map { name in
            let deprecated = (try? workflow.deprecations(name)) ?? [:]
            return Listing.Model(name: name, aliases: ((try? workflow.aliases?.aliases(model: name)) ?? nil) ?? [:], versions: store.versions(of: name).compactMap { version in
                guard let (m, _) = try? store.load(name: name, version: version) else { return nil }
                return Listing.Version(version: m.version, base: m.base, classes: m.classes, created: m.created,
                                       accuracy: m.card.validation?.accuracy, auc: m.card.validation?.auc,
                                       source: m.isUploaded ? "uploaded" : "trained",
                                       headSHA256: m.files["head.json"] ?? "", backboneSHA256: m.backboneSHA256, deprecated: deprecated[version])
            })
        }
        return try Reply.json(Listing(models: models))
    }

    /// The public key bundles are signed with, hex: what a client pins.
    private func signingKey(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        let publicKey = try ModelBundle.signingKey(from: key).publicKey.rawRepresentation
        return try Reply.json(["algorithm": "ed25519", "public_key": hexString(publicKey)])
    }

    /// The signed bundle of one version, written once beside the version and served from there.
    private func bundle(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        let name = try context.parameters.require("name"), versionText = try context.parameters.require("version")
        guard let version = Int(versionText) else { throw Problem.badRequest("a version is a number") }
        guard (try? ModelStore.validate(name: name)) != nil, workflow.store.versions(of: name).contains(version) else {
            throw Problem.notFound("no model \(name)@\(version)")
        }
        let path = workflow.store.root.appendingPathComponent("\(name)/\(version)/bundle.zip").path
        if !FileManager.default.fileExists(atPath: path) {
            _ = try workflow.exportBundle("\(name)@\(version)", to: path, key: key)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var headers = HTTPFields()
        headers[.contentDisposition] = "attachment; filename=\"\(name)-\(version).bundle\""
        return Reply.bytes(data, headers: headers, contentType: "application/zip")
    }

    /// Server-side inference for the browser's diagnosis page: the image is the body (PNG, JPEG, BMP, TIFF or
    /// uncompressed DICOM, at most 16 MiB), classified in memory and never stored; `?version=` picks a version.
    private func classify(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireUser()
        let name = try context.parameters.require("name")
        guard (try? ModelStore.validate(name: name)) != nil, !workflow.store.versions(of: name).isEmpty else {
            throw Problem.notFound("no model \(name)")
        }
        let version: Int
        if let asked = request.uri.queryParameters.get("version") {
            guard let resolved = try? workflow.resolve("\(name)@\(asked)").version else { throw Problem.notFound("no model \(name)@\(asked)") }
            version = resolved
        } else {
            do { version = try workflow.resolve(name).version } catch { throw Problem.unprocessable("\(error)") }   // every version deprecated
        }
        guard workflow.store.versions(of: name).contains(version) else { throw Problem.notFound("no model \(name)@\(version)") }
        var request = request
        let buffer = try await request.collectBody(upTo: 16 << 20)
        let decoder = try workflow.models.requireDecoder()
        let image: RGBImage
        do { image = try decoder.decodeColor(Array(buffer.readableBytesView)) } catch {
            throw Problem.unprocessable("the body is not an image MedLocal reads: \(error)")
        }
        let (manifest, classifier) = try classifiers.classifier("\(name)@\(version)", workflow: workflow)
        let prediction = try classifier.classify(image)
        let advice = try knowledgeBase?.advice(model: manifest.name, label: prediction.label)
        return try Reply.json(ImageClassifierWorkflow.Classification(file: "upload", model: manifest.name, version: manifest.version,
                                                                      prediction: prediction, advice: advice,
                                                                      deprecated: try workflow.deprecations(name)[version]))
    }

    private func lookup(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireUser()
        var request = request
        // A result is a few dozen bytes; anything near an image's size is refused unread.
        let buffer = try await request.collectBody(upTo: 4096)
        guard let body = try? JSONDecoder().decode(LookupRequest.self, from: Data(buffer.readableBytesView)) else {
            throw Problem.badRequest("expected {\"model\", \"label\", optional \"version\" and \"probability\"}")
        }
        guard body.label.count <= 200, (try? ModelStore.validate(name: body.model)) != nil else {
            throw Problem.unprocessable("the model name or label is not one a model gives")
        }
        guard let knowledgeBase else { throw Problem(.serviceUnavailable, "unavailable", "this server has no knowledge base wired in") }
        let advice = try knowledgeBase.advice(model: body.model, label: body.label)
        return try Reply.json(advice)
    }
}

/// Classifiers loaded once per version (the backbone is 18 MB to read, hash and load), for the classify route.
final class LoadedClassifiers: Sendable {
    private let loaded = Mutex<[String: (ModelManifest, ImageClassifier)]>([:])

    func classifier(_ reference: String, workflow: ImageClassifierWorkflow) throws -> (ModelManifest, ImageClassifier) {
        if let hit = loaded.withLock({ $0[reference] }) { return hit }
        let fresh = try workflow.classifier(reference)
        loaded.withLock { $0[reference] = fresh }
        return fresh
    }
}
