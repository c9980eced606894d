import DICOM
import Foundation
import Testing
import TestSupport

@Suite("DICOM character sets")
struct CharacterSetTests {
    static let corpus = Fixtures.shared.appendingPathComponent("corpora/dicom-dev")

    struct Manifest: Decodable {
        struct PHI: Decodable { var keyword: String; var path: String; var value: String }
        var file: String
        var phi: [PHI]
    }

    static let manifests: [Manifest] = {
        let folder = corpus.appendingPathComponent("manifest")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { try? JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent($0))) }
    }()

    @Test("Patient names decode in every corpus charset (UTF-8, GB18030, Latin-1, default)", arguments: manifests.map(\.file))
    func patientNames(file: String) throws {
        let manifest = try #require(Self.manifests.first { $0.file == file })
        guard let expected = manifest.phi.first(where: { $0.path == "(0010,0010)" })?.value else { return }
        let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
        let dataset = try DICOMReader().read(bytes).dataset
        let name = try #require(dataset.string(.patientName))
        #expect(name.contains(expected))
        let parsed = PersonName(name)
        #expect(!parsed.alphabetic.isEmpty)
    }

    @Test("ISO 2022 IR 58 switches to GB2312 by escape sequence")
    func iso2022Chinese() {
        // "Wang^XiaoDong=王^小东" as pydicom's chrX2 spells it with ISO 2022 IR 58 (G1, 8-bit).
        let ideographic: [UInt8] = [0x1B, 0x24, 0x29, 0x41, 0xCD, 0xF5, 0x5E, 0x1B, 0x24, 0x29, 0x41, 0xD0, 0xA1, 0xB6, 0xAB]
        let bytes = Array("Wang^XiaoDong=".utf8) + ideographic
        let set = SpecificCharacterSet(terms: ["ISO 2022 IR 6", "ISO 2022 IR 58"])
        #expect(set.decode(bytes, vr: .PN) == "Wang^XiaoDong=王^小东")
    }

    @Test("GB18030 and Latin-1 values decode; UIDs stay ASCII", arguments: [
        (["GB18030"], [0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB] as [UInt8], VR.PN, "王^小东"),
        (["ISO_IR 100"], [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72], VR.PN, "Müller"),
        (["ISO_IR 192"], Array("张三".utf8), VR.LO, "张三"),
        (["GB18030"], Array("1.2.3 ".utf8), VR.UI, "1.2.3"),
    ])
    func singleSets(terms: [String], bytes: [UInt8], vr: VR, expected: String) {
        #expect(SpecificCharacterSet(terms: terms).decode(bytes, vr: vr) == expected)
    }
}
