import Core
import DICOMDeidentification
import Foundation
import Hummingbird
import Service
import Workflows

/// A DICOM job: one uploaded file, or a ZIP of a study expanded under the archive limits, de-identified with the
/// PS3.15 Basic Profile and the options asked for; the outputs are `result.zip` (every de-identified file under its
/// path in the upload) and `result.report.json` (per file: status, actions counted, reason — never a value).
/// Work happens in the job's `work/` folder, removed afterwards; a retried job starts it afresh.
struct DICOMJobWork: JobWork {
    let files: JobFiles
    let keyPath: String
    let ocr: (any OCREngine)?
    let archiveLimits: StudyArchive.Limits
    let committer: AuditCommitter
    let trail: AuditTrail
    let metrics: ServerMetrics
    let users: any UserStore

    func discard(_ job: Job) { files.remove(job.id) }

    func run(_ job: Job, progress: JobProgress) async throws -> [String] {
        guard let inputPath = try files.plaintextInput(job.id) else { throw JobFailure(reason: "the uploaded file is no longer stored") }
        defer { files.discardWorkspace(job.id) }
        let options = DICOMJobOptions(job: job)
        let work = (files.workspace(job.id) as NSString).appendingPathComponent("work")
        try? FileManager.default.removeItem(atPath: work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let expanded = (work as NSString).appendingPathComponent("in"), deidentified = (work as NSString).appendingPathComponent("out")
        let report: DICOMDeidentificationRun.Report
        do {
            var source = inputPath
            if StudyArchive.isZIP(inputPath) {
                _ = try StudyArchive.expand(inputPath, displayName: job.inputName, into: expanded, limits: archiveLimits)
                source = expanded
            } else {
                // A single file keeps its upload name inside the result archive.
                try FileManager.default.createDirectory(atPath: expanded, withIntermediateDirectories: true)
                source = (expanded as NSString).appendingPathComponent(Self.safeName(job.inputName))
                try FileManager.default.linkItem(atPath: inputPath, toPath: source)
            }
            let run = try DICOMDeidentificationRun(input: source, output: deidentified, options: options.profileOptions, keyPath: keyPath,
                                                   cleanPixels: options.cleanPixels, ocr: ocr)
            report = try await run.run(jobs: 1) { done, total in progress.update(done, total) }
        } catch let error as InputError {
            throw JobFailure(reason: error.description)
        }
        if progress.isStopped { throw JobFailure(reason: "cancelled") }
        guard report.deidentified > 0 else {
            let reason = report.files.first { $0.status == "failed" }?.reason ?? "no DICOM file in the upload"
            throw JobFailure(reason: "\(job.inputName): nothing could be de-identified (\(reason))")
        }
        let produced = report.files.filter { $0.status == "deidentified" }.map(\.file)
        try FileManager.default.createDirectory(atPath: files.workOutputs(job.id), withIntermediateDirectories: true)
        try StudyArchive.pack(produced, from: deidentified, to: files.workOutput(job.id, "result.zip"))
        try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: (deidentified as NSString).appendingPathComponent("deid-report.json"))),
                             to: files.workOutput(job.id, "result.report.json"))
        metrics.countDICOM(files: report.deidentified)
        let actor = users.ownerName(of: job)
        let inputData = (try? Data(contentsOf: URL(fileURLWithPath: inputPath), options: .mappedIfSafe)) ?? Data()
        let output = try? Data(contentsOf: URL(fileURLWithPath: files.workOutput(job.id, "result.zip")), options: .mappedIfSafe)
        try await committer.commit(trail.event(actor: actor, operation: "job.dicom.deid", item: job.id, input: inputData, output: output,
                                                 decision: nil, findings: []))
        try files.keepOutputs(job.id)
        return ["result.zip", "result.report.json"]
    }

    /// The upload's base name with anything but letters, digits, `.`, `-` and `_` replaced.
    static func safeName(_ name: String) -> String {
        let base = (name as NSString).lastPathComponent
        let cleaned = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "upload.dcm" : cleaned
    }
}

/// What a DICOM job applies, from the upload form or the query string: `options=retain-long-modified-dates,…`
/// (PS3.15 profile options by name) and `clean_pixels=true` (burned-in text found by OCR and blanked).
struct DICOMJobOptions: Equatable {
    var profileOptions: [String] = []
    var cleanPixels = false

    init(fields: [String: String], query: Parameters) throws {
        func value(_ name: String) -> String? { fields[name] ?? query.get(name) }
        if let text = value("options") {
            profileOptions = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for name in profileOptions where ProfileOption(rawValue: name) == nil {
                throw Problem.unprocessable("options: '\(name)' is not one of \(ProfileOption.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let text = value("clean_pixels") { cleanPixels = try FormFlag.parse(text, "clean_pixels") }
    }

    init(job: Job) {
        profileOptions = (job.options["options"] ?? "").split(separator: ",").map(String.init)
        cleanPixels = job.options["clean_pixels"] == "true"
    }

    var fields: [String: String] { ["options": profileOptions.joined(separator: ","), "clean_pixels": String(cleanPixels)] }
}

/// A true/false form field or query parameter.
enum FormFlag {
    static func parse(_ text: String, _ name: String) throws -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw Problem.unprocessable("\(name): '\(text)' is not true or false")
        }
    }
}

/// Sends each claimed job to the work for its kind.
struct JobWorkByKind: JobWork {
    let works: [JobKind: any JobWork]

    func run(_ job: Job, progress: JobProgress) async throws -> [String] {
        guard let work = works[job.kind] else { throw JobFailure(reason: "this server does not run \(job.kind.rawValue) jobs") }
        return try await work.run(job, progress: progress)
    }

    func discard(_ job: Job) { works[job.kind]?.discard(job) }
}
