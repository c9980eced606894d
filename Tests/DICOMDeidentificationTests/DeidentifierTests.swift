import Anonymization
import DICOM
import DICOMDeidentification
import Foundation
import Testing
import TestSupport

@Suite("DICOM de-identification")
struct DeidentifierTests {
    static let folder = Fixtures.shared.appendingPathComponent("corpora/dicom-dev")
    static let key = try! ProjectKey(bytes: Array(repeating: 7, count: 32))

    struct Manifest: Decodable {
        struct PHI: Decodable { var needles: [String] }
        var file: String
        var phi: [PHI]
    }

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("dicom").path)) ?? [])
        .filter { $0.hasSuffix(".dcm") }.sorted()

    private func read(_ name: String) throws -> DICOMFile {
        try DICOMReader().read([UInt8](try Data(contentsOf: Self.folder.appendingPathComponent("dicom/\(name)"))))
    }

    @Test("No injected PHI survives in the written bytes, in any charset", arguments: names)
    func noPHI(name: String) throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Self.folder.appendingPathComponent("manifest/\(name.replacingOccurrences(of: ".dcm", with: ".json"))")))
        let (file, _) = try try Deidentifier(key: Self.key).deidentify(try read(name))
        let bytes = DICOMWriter().write(file)
        let asText = String(decoding: bytes, as: UTF8.self)
        let written = try DICOMReader().read(bytes)
        for needle in manifest.phi.flatMap(\.needles) where needle.count >= 4 {
            #expect(!asText.contains(needle), "\(name): a needle survived")
        }
        #expect(written.dataset[Tag(0x0012, 0x0062)]?.asciiValue == "YES")
        #expect(written.meta[.mediaStorageSOPInstanceUID]?.asciiValue == written.dataset[.sopInstanceUID]?.asciiValue)
        #expect(!written.dataset.elements.contains { $0.tag.isPrivate })
    }

    @Test("UIDs map consistently under one key and differently under another; registered UIDs stay")
    func uids() throws {
        let original = try read("030_98892003_MR1_4919.dcm")
        let first = try Deidentifier(key: Self.key).deidentify(original).file
        let again = try Deidentifier(key: Self.key).deidentify(original).file
        let other = try Deidentifier(key: ProjectKey.generate()).deidentify(original).file
        let study = Tag(0x0020, 0x000D)
        #expect(first.dataset[study] == again.dataset[study])
        #expect(first.dataset[study] != other.dataset[study])
        #expect(first.dataset[study] != original.dataset[study])
        let uid = try #require(first.dataset[study]?.asciiValue)
        #expect(uid.hasPrefix("2.25.") && uid.count <= 64 && uid.allSatisfy { $0.isNumber || $0 == "." })
        #expect(first.dataset[Tag(0x0008, 0x0016)] == original.dataset[Tag(0x0008, 0x0016)])   // SOP Class UID is registered
    }

    @Test("Files of one study keep their links: study UID and referenced SOP instances map alike")
    func links() throws {
        let a = try Deidentifier(key: Self.key).deidentify(try read("030_98892003_MR1_4919.dcm")).file
        let b = try Deidentifier(key: Self.key).deidentify(try read("031_98892003_MR1_5641.dcm")).file
        #expect(a.dataset[Tag(0x0020, 0x000D)] == b.dataset[Tag(0x0020, 0x000D)])
        let reference = b.dataset[Tag(0x0008, 0x1140)]?.items.first?.dataset[Tag(0x0008, 0x1155)]?.asciiValue
        #expect(reference == nil || reference == a.dataset[.sopInstanceUID]?.asciiValue)
    }

    @Test("Modified dates shift by one per-patient offset; without the option dates are emptied or removed")
    func dates() throws {
        let original = try read("001_CT_small.dcm")
        let studyDate = Tag(0x0008, 0x0020), seriesDate = Tag(0x0008, 0x0021)
        let plain = try Deidentifier(key: Self.key).deidentify(original).file
        #expect((plain.dataset[studyDate]?.bytes ?? []).isEmpty)
        let shifted = try Deidentifier(options: [.retainLongitudinalModifiedDates], key: Self.key).deidentify(original).file
        let before = try #require(original.dataset[studyDate]?.asciiValue), after = try #require(shifted.dataset[studyDate]?.asciiValue)
        #expect(before != after && after.count == 8)
        func day(_ s: String) -> Int {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let date = calendar.date(from: DateComponents(year: Int(s.prefix(4)), month: Int(s.dropFirst(4).prefix(2)), day: Int(s.suffix(2))))!
            return Int(date.timeIntervalSince1970 / 86_400)
        }
        let offset = day(after) - day(before)
        #expect(abs(offset) >= 366 && abs(offset) <= 1095)
        if let seriesBefore = original.dataset[seriesDate]?.asciiValue, let seriesAfter = shifted.dataset[seriesDate]?.asciiValue {
            #expect(day(seriesAfter) - day(seriesBefore) == offset)
        }
        #expect(shifted.dataset[Tag(0x0028, 0x0303)]?.asciiValue == "MODIFIED")
    }

    @Test("Pixel data is never touched without Clean Pixel Data")
    func pixels() throws {
        for name in ["001_CT_small.dcm", "013_JPEG2000.dcm", "015_SC_rgb_rle.dcm"] {
            let original = try read(name)
            let file = try Deidentifier(key: Self.key).deidentify(original).file
            #expect(file.dataset[.pixelData] == original.dataset[.pixelData])
        }
    }
}

@Suite("Private attributes")
struct PrivateAttributeTests {
    @Test("Retain Safe Private keeps only vetted private attributes; unknown ones (with PHI) always go")
    func safePrivate() throws {
        let url = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom/001_CT_small.dcm")
        let original = try DICOMReader().read([UInt8](try Data(contentsOf: url)))
        let privateTags = original.dataset.elements.map(\.tag).filter(\.isPrivate)
        #expect(!privateTags.isEmpty)
        let key = try ProjectKey(bytes: Array(repeating: 3, count: 32))
        let retained = try Deidentifier(options: [.retainSafePrivate], key: key).deidentify(original).file
        #expect(!retained.dataset.elements.contains { $0.tag.isPrivate })
        var vetted = Deidentifier(options: [.retainSafePrivate], key: key)
        vetted.safePrivate = [privateTags[0]]
        #expect(try vetted.deidentify(original).file.dataset.elements.filter(\.tag.isPrivate).map(\.tag) == [privateTags[0]])
    }
}
