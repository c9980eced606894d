import Anonymization
public import Core
import DICOM
public import DICOMDeidentification
import Foundation

/// `dicom deid IN OUT`: every DICOM file under IN de-identified into the same relative path under OUT (written
/// atomically, inputs never touched), files that are not DICOM skipped, and a JSON report of the run.
///
/// - Important: The report and the messages carry file paths, action counts and reasons — never a value.
public struct DICOMDeidentificationRun: Sendable {
    public struct FileResult: Sendable, Encodable {
        public var file: String
        /// `deidentified`, `skipped` (not DICOM) or `failed`.
        public var status: String
        public var reason: String?
        public var actions: Deidentifier.Report?
        public var transferSyntax: String?
    }

    public struct Report: Sendable, Encodable {
        public var options: [String]
        public var files: [FileResult]
        public var deidentified: Int { files.filter { $0.status == "deidentified" }.count }
        public var failed: Int { files.filter { $0.status == "failed" }.count }

        enum CodingKeys: String, CodingKey { case options, files, deidentified, failed }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(options, forKey: .options)
            try c.encode(files, forKey: .files)
            try c.encode(deidentified, forKey: .deidentified)
            try c.encode(failed, forKey: .failed)
        }
    }

    public let input: String
    public let output: String
    /// Whether `input` is a folder (looked up once, not per file).
    let inputIsFolder: Bool
    public let deidentifier: Deidentifier

    /// - Throws: ``InputError`` for an unknown option name, a missing key or an input that does not exist.
    public init(input: String, output: String, options: [String], keyPath: String, cleanPixels: Bool = false,
                ocr: (any OCREngine)? = nil) throws {
        var chosen: Set<ProfileOption> = []
        for name in options {
            guard let option = ProfileOption(rawValue: name) else {
                let known = ProfileOption.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(.unreadable, "Unknown de-identification option '\(name)'. Use one of: \(known).")
            }
            chosen.insert(option)
        }
        guard FileManager.default.fileExists(atPath: input) else { throw InputError(.unreadable, "\(input): no such file or folder.") }
        let key: ProjectKey
        do { key = try ProjectKey.load(from: keyPath) } catch { throw InputError(.missingKey, "\(error)") }
        self.input = input
        self.output = output
        inputIsFolder = FolderWalk.isFolder(input)
        var cleaner: PixelCleaner?
        if cleanPixels {
            guard let ocr else { throw InputError(.unreadable, "--clean-pixels needs an OCR engine, and this build has none.") }
            cleaner = PixelCleaner(ocr: ocr)
        }
        // Clean Descriptors / Structured Content: free text goes through the PHI text engine, every finding
        // replaced by its type; text that cannot be processed is dropped rather than kept.
        var cleanText: (@Sendable (String) -> String)?
        if chosen.contains(.cleanDescriptors) || chosen.contains(.cleanStructuredContent) {
            let engine = TextDeidentification(plan: OperatorPlan(fallback: .replace(nil)))
            cleanText = { text in
                var pseudonyms = PseudonymTable()
                return (try? engine.deidentify(text, key: key, pseudonyms: &pseudonyms).text) ?? ""
            }
        }
        deidentifier = Deidentifier(options: chosen, key: key, cleanText: cleanText, pixelCleaner: cleaner)
    }

    /// Files under the input (or the input file itself), relative paths sorted.
    public func files() -> [String] {
        inputIsFolder ? FolderWalk.files(under: input) : [(input as NSString).lastPathComponent]
    }

    /// Processes every file, `jobs` at a time; writes OUT/deid-report.json and returns the report.
    public func run(jobs: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let files = files()
        let results = await BoundedWork.map(count: files.count, jobs: jobs, progress: { progress($0, files.count) }) { self.process(files[$0]) }
        let report = Report(options: deidentifier.options.map(\.rawValue).sorted(), files: results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(report), to: (output as NSString).appendingPathComponent("deid-report.json"))
        return report
    }

    func process(_ relative: String) -> FileResult {
        let source = inputIsFolder ? (input as NSString).appendingPathComponent(relative) : input
        guard let data = FileManager.default.contents(atPath: source) else {
            return FileResult(file: relative, status: "failed", reason: "cannot be read")
        }
        let original: DICOMFile
        do {
            original = try DICOMReader().read([UInt8](data))
        } catch {
            let reason = "\(error)"
            return FileResult(file: relative, status: error.code == .notDICOM ? "skipped" : "failed", reason: reason)
        }
        let file: DICOMFile, actions: Deidentifier.Report
        do {
            (file, actions) = try deidentifier.deidentify(original)
        } catch {
            return FileResult(file: relative, status: "failed", reason: "pixel data could not be checked: \(error)")
        }
        do {
            try AtomicFile.write(Data(DICOMWriter().write(file)), to: (output as NSString).appendingPathComponent(relative))
        } catch {
            return FileResult(file: relative, status: "failed", reason: "\(error)")
        }
        return FileResult(file: relative, status: "deidentified", reason: nil, actions: actions, transferSyntax: file.transferSyntax.uid)
    }
}
