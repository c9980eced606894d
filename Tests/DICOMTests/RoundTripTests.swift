import DICOM
import Foundation
import Testing
import TestSupport

@Suite("DICOM read and write")
struct RoundTripTests {
    static let folder = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".dcm") }.sorted()

    @Test("The dev corpus is there")
    func corpus() { #expect(Self.files.count == 61) }

    @Test("Reading and writing an unchanged file gives back the same bytes", arguments: files)
    func byteIdentical(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let file = try DICOMReader().read(bytes)
        let written = DICOMWriter().write(file)
        #expect(written.count == bytes.count)
        #expect(written == bytes)
        #expect(try DICOMReader().read(written) == file)
    }
}
