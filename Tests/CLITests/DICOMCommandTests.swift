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
