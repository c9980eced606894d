import Audit
import Documents
import Foundation
import Hummingbird
import Inference
import Service
public import Workflows

/// Uploads and the job resources: `POST /documents` and `POST /dicom/deid` queue a job (202, `Location:
/// /api/v1/jobs/<id>`);
/// `GET /jobs` pages through the caller's jobs (an admin's: everyone's), `GET /jobs/{id}` reports state and
/// progress, `GET /jobs/{id}/<output>` downloads a result, `POST /jobs/{id}/cancel` stops it, `DELETE` removes it
/// with its files. Someone else's job is a 404, as if it did not exist.
struct JobRoutes: Sendable {
    struct JobView: Encodable {
        var id: String, kind: String, state: String, input: String, options: [String: String]
        var attempts: Int, progress: Progress, error: String?, outputs: [String], created: Date, updated: Date
        struct Progress: Encodable { var done: Int, total: Int }

        init(_ job: Job) {
            id = job.id
            kind = job.kind.rawValue
            state = job.state.rawValue
            input = job.inputName
            options = job.options
            attempts = job.attempts
            progress = Progress(done: job.progressDone, total: job.progressTotal)
            error = job.error
            outputs = job.state == .succeeded ? job.outputs : []
            created = job.created
            updated = job.updated
        }
    }

    struct JobList: Encodable {
        var jobs: [JobView], total: Int, limit: Int, offset: Int
    }

    let jobs: any JobStore
    let files: JobFiles
    let limits: UploadLimits
    let pdf: (any PDFBackend)?
    let wake: JobSignal
    let reviews: ReviewStore
    let reviewRedaction: ReviewRedaction
    let committer: AuditCommitter
    let trail: AuditTrail

    func add(to group: RouterGroup<ServerContext>) {
        group.post("documents") { request, context in try await submitDocument(request, context) }
        group.post("dicom/deid") { request, context in try await submitStudy(request, context) }
        group.post("models/train") { request, context in try await submitTraining(request, context) }
        group.get("jobs") { request, context in try list(request, context) }
        group.get("jobs/:id") { _, context in try Reply.json(JobView(try ownJob(context))) }
        group.get("jobs/:id/:file") { _, context in try download(context, name: try context.parameters.require("file")) }
        group.get("jobs/:id/:file/:image") { _, context in
            try download(context, name: try context.parameters.require("file") + "/" + context.parameters.require("image"))
        }
        group.post("jobs/:id/cancel") { _, context in try cancel(context) }
        group.get("jobs/:id/review") { _, context in try review(context) }
        group.post("jobs/:id/review") { request, context in try await setVerdict(request, context) }
        group.post("jobs/:id/review/apply") { _, context in try await applyReview(context) }
        group.delete("jobs/:id") { _, context in try delete(context) }
    }

    private func submitDocument(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await submit(.document, request, context) { upload in
            let options = try DocumentJobOptions(fields: upload.fields, query: request.uri.queryParameters)
            try checkPages(upload)
            return options.fields
        }
    }

    private func submitStudy(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await submit(.dicom, request, context) { upload in
            let options = try DICOMJobOptions(fields: upload.fields, query: request.uri.queryParameters)
            if StudyArchive.isZIP(upload.path) {
                do {
                    let summary = try StudyArchive.inspect(upload.path, displayName: upload.filename, limits: limits.archive)
                    guard summary.files > 0 else { throw Problem.unprocessable("\(upload.filename): the archive holds no files") }
                } catch let error as InputError {
                    throw error.code == .tooLarge ? Problem(.contentTooLarge, "too-large", error.description) : Problem.unprocessable(error.description)
                }
            } else if !Self.looksLikeDICOM(upload.path) {
                throw Problem.unprocessable("\(upload.filename): neither a ZIP of a study nor a DICOM file (no DICM marker at byte 128)")
            }
            return options.fields
        }
    }

    /// `POST /models/train?name=NAME[&base=…]` with a ZIP of `<class>/<image>` folders: admin only (a new model
    /// version is what clinicians will be shown), checked against the archive limits before it is queued.
    private func submitTraining(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireRole(\.canAdminister, "train models")
        return try await submit(.training, request, context) { upload in
            let fields = upload.fields.merging(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { form, _ in form }
            guard let name = fields["name"], (try? ModelStore.validate(name: name)) != nil else {
                throw Problem.unprocessable("name: a model name of letters, digits, '.', '_' and '-' is required")
            }
            let base = fields["base"] ?? "efficientnet-lite0"
            guard ImageModels.bases.contains(base) else { throw Problem.unprocessable("base: unknown base model \(base)") }
            guard StudyArchive.isZIP(upload.path) else { throw Problem.unprocessable("\(upload.filename): a dataset is a ZIP of one folder per class") }
            do {
                _ = try StudyArchive.inspect(upload.path, displayName: upload.filename, limits: limits.archive)
            } catch let error as InputError {
                throw error.code == .tooLarge ? Problem(.contentTooLarge, "too-large", error.description) : Problem.unprocessable(error.description)
            }
            return ["name": name, "base": base]
        }
    }

    /// Receives the upload, lets `options` check it and read the job's options, and queues the job.
    private func submit(_ kind: JobKind, _ request: Request, _ context: ServerContext,
                        options: (ReceivedUpload) throws -> [String: String]) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "submit \(kind.rawValue) jobs")
        let upload = try await UploadReceiver(limit: limits.uploadBytes, files: files).receive(request)
        do {
            guard upload.bytes > 0 else { throw Problem.unprocessable("\(upload.filename): the file is empty") }
            let job = Job(id: UUID().uuidString.lowercased(), kind: kind, owner: user.id, inputName: upload.filename, options: try options(upload))
            try files.store(upload: upload.path, job: job.id, originalName: upload.filename)
            try jobs.enqueue(job)
            wake.signal()
            var headers = HTTPFields()
            headers[.location] = "/api/v1/jobs/\(job.id)"
            return try Reply.json(JobView(job), status: .accepted, headers: headers)
        } catch {
            try? FileManager.default.removeItem(atPath: upload.path)
            throw error
        }
    }

    /// A PDF with more pages than the limit is refused before it is queued (counting pages reads no content).
    private func checkPages(_ upload: ReceivedUpload) throws {
        guard let pdf, Self.starts(upload.path, with: Array("%PDF".utf8), at: 0) else { return }
        guard let pages = try? pdf.pageCount(of: upload.path, displayName: upload.filename) else { return }   // the job reports why
        if pages > limits.pages {
            throw Problem(.contentTooLarge, "too-large", "\(upload.filename): \(pages) pages; this server takes at most \(limits.pages) per document")
        }
    }

    static func looksLikeDICOM(_ path: String) -> Bool { starts(path, with: Array("DICM".utf8), at: 128) }

    private static func starts(_ path: String, with magic: [UInt8], at offset: UInt64) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil else { return false }
        return [UInt8](handle.readData(ofLength: magic.count)) == magic
    }

    private func list(_ request: Request, _ context: ServerContext) throws -> Response {
        let user = try context.requireUser()
        let query = request.uri.queryParameters
        let limit = min(max(query.get("limit", as: Int.self) ?? 50, 1), 500)
        let offset = max(query.get("offset", as: Int.self) ?? 0, 0)
        var state: JobState?
        if let text = query.get("state") {
            guard let parsed = JobState(rawValue: text) else { throw Problem.badRequest("state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))") }
            state = parsed
        }
        let page = try jobs.jobs(owner: user.role.canAdminister ? nil : user.id, state: state, limit: limit, offset: offset)
        return try Reply.json(JobList(jobs: page.jobs.map(JobView.init), total: page.total, limit: limit, offset: offset))
    }

    /// The job named in the path when the caller may see it.
    func ownJob(_ context: ServerContext) throws -> Job {
        let user = try context.requireUser()
        let id = try context.parameters.require("id")
        guard let job = try jobs.job(id: id), job.owner == user.id || user.role.canAdminister else { throw Problem.notFound("no job \(id)") }
        return job
    }

    private func download(_ context: ServerContext, name: String) throws -> Response {
        let job = try ownJob(context)
        guard job.state == .succeeded else { throw Problem(.conflict, "not-ready", "job \(job.id) is \(job.state.rawValue); results exist once it has succeeded") }
        guard job.outputs.contains(name) else { throw Problem.notFound("job \(job.id) has no output \(name) (it has: \(job.outputs.joined(separator: ", ")))") }
        guard let data = try files.contents(job.id, output: name) else { throw Problem(.gone, "gone", "the output \(name) of job \(job.id) is no longer stored") }
        var headers = HTTPFields()
        headers[.contentDisposition] = "attachment; filename=\"\((name as NSString).lastPathComponent)\""
        return Reply.bytes(data, headers: headers, contentType: Self.mediaType(name))
    }

    private func cancel(_ context: ServerContext) throws -> Response {
        let job = try ownJob(context)
        guard try jobs.cancel(id: job.id) else { throw Problem(.conflict, "final", "job \(job.id) is already \(job.state.rawValue)") }
        return try Reply.json(JobView(try jobs.job(id: job.id) ?? job), status: .accepted)
    }

    private func delete(_ context: ServerContext) throws -> Response {
        let job = try ownJob(context)
        if !job.state.isFinal { _ = try jobs.cancel(id: job.id) }
        try jobs.delete(id: job.id)
        files.remove(job.id)
        return Response(status: .noContent)
    }

    static func mediaType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "md": "text/markdown; charset=utf-8"
        case "json": "application/json"
        case "pdf": "application/pdf"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "zip": "application/zip"
        default: "application/octet-stream"
        }
    }
}

/// What a document job produces, from the upload form (`formats=md,json,fhir`, `ocr=true|false`,
/// `redact=true|false`) or the query string.
struct DocumentJobOptions: Equatable {
    var formats: [DocumentFormat] = [.markdown, .json]
    var ocr = true
    var redact = false

    init(fields: [String: String], query: Parameters) throws {
        func value(_ name: String) -> String? { fields[name] ?? query.get(name) }
        if let text = value("formats") {
            formats = try text.split(separator: ",").map { name in
                let name = name.trimmingCharacters(in: .whitespaces)
                guard let format = DocumentFormat(rawValue: name), format != .phi else {
                    throw Problem.unprocessable("formats: '\(name)' is not one of md, json, fhir")
                }
                return format
            }
        }
        if let text = value("ocr") { ocr = try FormFlag.parse(text, "ocr") }
        if let text = value("redact") { redact = try FormFlag.parse(text, "redact") }
        guard !formats.isEmpty || redact else { throw Problem.unprocessable("ask for at least one format or redact=true") }
    }

    init(job: Job) {
        formats = (job.options["formats"] ?? "md,json").split(separator: ",").compactMap { DocumentFormat(rawValue: String($0)) }
        ocr = job.options["ocr"] != "false"
        redact = job.options["redact"] == "true"
    }

    var fields: [String: String] {
        ["formats": formats.map(\.rawValue).joined(separator: ","), "ocr": String(ocr), "redact": String(redact)]
    }
}

/// What one upload may be: its size (413 while it streams in), a PDF's pages, a study archive's entries, expanded
/// size and expansion ratio (413 before anything is queued).
public struct UploadLimits: Sendable {
    public var uploadBytes = 256 << 20
    public var pages = 2_000
    public var archive = StudyArchive.Limits()

    public init() {}
}
