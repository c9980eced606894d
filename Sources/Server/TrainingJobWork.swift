import Foundation
import Inference
import Service
import Workflows

/// A training job: the uploaded ZIP dataset (expanded under the archive limits by the workflow) becomes a new
/// version of the named model; the output is `model.json`, the version's manifest with its model card.
struct TrainingJobWork: JobWork {
    let files: JobFiles
    let workflow: ImageClassifierWorkflow
    let committer: AuditCommitter
    let trail: AuditTrail
    let users: any UserStore

    func discard(_ job: Job) { files.remove(job.id) }

    func run(_ job: Job, progress: JobProgress) async throws -> [String] {
        guard let inputPath = try files.plaintextInput(job.id) else { throw JobFailure(reason: "the uploaded file is no longer stored") }
        defer { files.discardWorkspace(job.id) }
        let name = job.options["name"] ?? "", base = job.options["base"] ?? "efficientnet-lite0"
        let manifest: ModelManifest
        do {
            manifest = try workflow.train(dataset: inputPath, name: name, base: base) { step in
                if case .features(let done, let total, _) = step { progress.update(done, total) }
            }.manifest
        } catch let error as any CustomStringConvertible where error is InputError || error is DatasetError || error is ModelStoreError {
            throw JobFailure(reason: "\(job.inputName): \(error.description)")
        }
        try FileManager.default.createDirectory(atPath: files.workOutputs(job.id), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        let card = try encoder.encode(manifest)
        try AtomicFile.write(card, to: files.workOutput(job.id, "model.json"))
        let input = (try? Data(contentsOf: URL(fileURLWithPath: inputPath), options: .mappedIfSafe)) ?? Data()
        try await committer.commit(trail.event(actor: users.ownerName(of: job), operation: "job.model.train", item: "\(manifest.name)@\(manifest.version)",
                                               input: input, output: card, decision: nil, findings: []))
        try files.keepOutputs(job.id)
        return ["model.json"]
    }
}
