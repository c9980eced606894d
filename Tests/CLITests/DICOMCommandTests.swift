import Foundation
import Testing
import TestSupport

@Suite("medlocal dicom dump")
struct DICOMCommandTests {
    static let file = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/001_CT_small.dcm").path

    @Test("The dump lists elements with identifying values redacted unless asked")
    func redacted() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Run(["dicom", "dump", Self.file], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("(0010,0010) PN PatientName"))
        #expect(run.stdout.contains("1.2.840.10008.5.1.4.1.1.2"))   // the SOP class UID is not PHI
        // PHI canary: the injected patient ID and name appear only with --show-values.
        #expect(!run.stdout.contains("ZY82582233") && !run.stdout.contains("梁"))
        let shown = try Run(["dicom", "dump", Self.file, "--show-values"], in: folder)
        #expect(shown.stdout.contains("ZY82582233") && shown.stdout.contains("梁^敏"))
    }

    @Test("A file that is not DICOM fails with exit 1 and a message naming it")
    func notDICOM() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("note.txt")
        try Data("患者姓名：张三".utf8).write(to: path)
        let run = try Run(["dicom", "dump", path.path], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("note.txt") && !run.stderr.contains("张三"))
    }
}

@Suite("medlocal dicom deid", .serialized)
struct DICOMDeidCommandTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/dicom-dev")

    /// Runs the shared dicom-check (pydicom from the virtualenv `make test` installs, dcmdump when present).
    private func dicomCheck(_ output: URL, extra: [String]) throws -> (status: Int32, text: String) {
        let check = ExternalCommand.dicomCheck(corpus: Self.corpus, output: output, extra: extra)
        return (check.status, check.output + check.errors)
    }

    @Test("The dev corpus de-identified with the plain profile and with shifted dates passes dicom-check", arguments: [
        ([] as [String], [] as [String]), (["--option", "retain-long-modified-dates"], ["--date-shift"]),
        (["--clean-pixels"], ["--redact-burned-in"]),
    ])
    func dicomCheckPasses(options: [String], checkFlags: [String]) throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Run(["keygen", "-o", "key"], in: folder).status == 0)
        let run = try Run(["dicom", "deid", Self.corpus.appendingPathComponent("dicom").path, "out", "--key-file", "key", "--jobs", "2"] + options, in: folder)
        #expect(run.status == 0)
        let check = try dicomCheck(folder.appendingPathComponent("out"), extra: checkFlags)
        #expect(check.status == 0, "dicom-check failed:\n\(check.text.suffix(2000))")
        #expect(check.text.contains("PHI leaks by kind (files): none"))
        // The run report names files and counts actions, never values.
        let report = try String(contentsOf: folder.appendingPathComponent("out/deid-report.json"), encoding: .utf8)
        #expect(report.contains("\"deidentified\" : 61"))
        #expect(!report.contains("ZY82582233") && !report.contains("梁"))
        if options.contains("--clean-pixels") {
            #expect(check.text.contains("files with burned-in text left: 0"))
            #expect(report.contains("blankedRegions"))
        }
    }

    @Test("Clean Descriptors keeps comments with every PHI value taken out (dicom-check finds no leak)")
    func cleanDescriptors() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Run(["keygen", "-o", "key"], in: folder).status == 0)
        let run = try Run(["dicom", "deid", Self.corpus.appendingPathComponent("dicom").path, "out", "--key-file", "key",
                           "--option", "clean-descriptors", "--jobs", "2"], in: folder)
        #expect(run.status == 0)
        // dicom-check knows only the plain profile, so kept (cleaned) comments count as profile failures there;
        // what matters here is that no PHI value is left in them.
        let check = try dicomCheck(folder.appendingPathComponent("out"), extra: [])
        #expect(check.text.contains("PHI leaks by kind (files): none"))
        let dump = try Run(["dicom", "dump", folder.appendingPathComponent("out/001_CT_small.dcm").path, "--show-values"], in: folder)
        #expect(dump.stdout.contains("PatientComments") && dump.stdout.contains("[PERSON]"))
    }

    @Test("Inputs are never modified and non-DICOM files are skipped and reported")
    func inputs() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in/sub")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let source = Self.corpus.appendingPathComponent("dicom/001_CT_small.dcm")
        try FileManager.default.copyItem(at: source, to: input.appendingPathComponent("a.dcm"))
        try Data("not dicom".utf8).write(to: input.appendingPathComponent("notes.txt"))
        #expect(try Run(["keygen", "-o", "key"], in: folder).status == 0)
        let run = try Run(["dicom", "deid", "in", "out", "--key-file", "key"], in: folder)
        #expect(run.status == 0)
        #expect(try Data(contentsOf: input.appendingPathComponent("a.dcm")) == Data(contentsOf: source))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/sub/a.dcm").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/sub/notes.txt").path))
        let report = try String(contentsOf: folder.appendingPathComponent("out/deid-report.json"), encoding: .utf8)
        #expect(report.contains("\"skipped\""))
    }

    @Test("An unknown option is a usage error naming the known ones")
    func unknownOption() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Run(["dicom", "deid", Self.corpus.path, "out", "--option", "blur"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("retain-long-modified-dates"))
    }
}

@Suite("medlocal policy validate")
struct PolicyCommandTests {
    @Test("A valid policy is confirmed; an invalid one lists its problems with lines and exits 1")
    func validate() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("version: v1.0\nentities:\n  ID_NUMBER: {action: block, threshold: 0.5}\n  PERSON: {action: anonymize, operator: mask, threshold: 0.5}\n  default: {action: tag}\n".utf8)
            .write(to: folder.appendingPathComponent("good.yaml"))
        try Data("version: v1.0\nentities:\n  PERSON: {action: blur}\n  AGE: {action: tag, threshold: 7}\n".utf8)
            .write(to: folder.appendingPathComponent("bad.yaml"))
        let good = try Run(["policy", "validate", "good.yaml"], in: folder)
        #expect(good.status == 0 && good.stdout.contains("valid policy v1.0 with 2 entity rules"))
        let bad = try Run(["policy", "validate", "bad.yaml"], in: folder)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml: line 3: unknown action 'blur' for PERSON"))
        #expect(bad.stderr.contains("line 4: threshold for AGE"))
    }
}

@Suite("medlocal redact --policy")
struct RedactPolicyTests {
    static let policy = "version: v1.0\nentities:\n  ID_NUMBER: {action: block, threshold: 0.5}\n  PERSON: {action: anonymize, operator: mask, threshold: 0.5}\n  default: {action: tag}\n"

    @Test("Anonymize-level findings are rewritten with their operator; tagged ones are left as they are")
    func anonymize() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.policy.utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        let run = try Run(["redact", "-", "--policy", "policy.yaml"], stdin: "患者姓名：张军  联系电话：13912345678\n", in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("患者姓名：**") && run.stdout.contains("13912345678"))
    }

    @Test("A blocked item exits 3 with the reason by type and position, and no output is written")
    func block() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.policy.utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        try Data("患者张军 身份证号：11010519491231002X\n".utf8).write(to: folder.appendingPathComponent("note.txt"))
        let run = try Run(["redact", "note.txt", "-o", "out.txt", "--policy", "policy.yaml"], in: folder)
        #expect(run.status == 3)
        #expect(run.stderr.contains("blocked by policy v1.0: ID_NUMBER at 10..<28"))
        #expect(!run.stderr.contains("11010519491231002X") && !run.stderr.contains("张军"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.txt").path))
    }

    @Test("A policy and --operator together are a usage error")
    func both() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.policy.utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        let run = try Run(["redact", "-", "--policy", "policy.yaml", "--operator", "default=mask"], stdin: "x\n", in: folder)
        #expect(run.status == 1)
    }
}
