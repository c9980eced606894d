import DICOM
import Foundation
import Testing
import TestSupport

@Suite("Malformed DICOM")
struct MalformedInputTests {
    static let folder = Fixtures.shared.appendingPathComponent("corpora/dicom-dev/dicom")

    private func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name))) }

    @Test("A file cut anywhere is an error with an offset, never a crash", arguments: ["001_CT_small.dcm", "011_image_dfl.dcm", "013_JPEG2000.dcm", "021_rtplan.dcm", "007_MR_small_bigendian.dcm"])
    func truncated(name: String) throws {
        let full = try bytes(name)
        var rejected = 0
        for cut in stride(from: 0, to: full.count - 1, by: max(1, full.count / 97)) {
            let result = Result { () throws(DICOMError) in try DICOMReader().read(Array(full.prefix(cut))) }
            if case .failure(let error) = result {
                rejected += 1
                #expect(error.offset != nil || error.code == .notDICOM)
            }
        }
        #expect(rejected > 0)
    }

    /// `make fuzz` raises the number of mutation rounds with MEDLOCAL_FUZZ_ROUNDS.
    static let rounds = Int(ProcessInfo.processInfo.environment["MEDLOCAL_FUZZ_ROUNDS"] ?? "") ?? 8

    @Test("Mutated files are read or rejected with a DICOMError, in bounded time", arguments: 0..<rounds)
    func mutated(seed: Int) throws {
        let names = ["002_MR_small.dcm", "008_examples_overlay.dcm", "024_reportsi.dcm", "006_MR_small_implicit.dcm",
                     "007_MR_small_bigendian.dcm", "011_image_dfl.dcm", "016_SC_rgb_rle_16bit_2frame.dcm", "021_rtplan.dcm"]
        var generator = SplitMix(seed: UInt64(seed))
        for name in names {
            var data = try bytes(name)
            for _ in 0..<20 {
                let index = Int(generator.next() % UInt64(data.count))
                data[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = Result { () throws(DICOMError) in try DICOMReader().read(data) }
        }
    }

    @Test("A declared length past the end names the tag and offset")
    func hugeLength() throws {
        var data = Array(repeating: UInt8(0), count: 128) + Array("DICM".utf8)
        data += [0x02, 0x00, 0x10, 0x00] + Array("UI".utf8) + [0x14, 0x00] + Array("1.2.840.10008.1.2.1\u{0}".utf8)
        data += [0x10, 0x00, 0x10, 0x00] + Array("PN".utf8) + [0xF0, 0xFF] + Array("ZHANG^SAN".utf8)
        let error = try #require(#expect(throws: DICOMError.self) { try DICOMReader().read(data) })
        #expect(error.code == .truncated)
        #expect(error.tag == .patientName)
        #expect(error.offset != nil)
        #expect(!error.description.contains("ZHANG"))
    }

    @Test("Sequences nested past the limit are refused")
    func deepNesting() throws {
        var data = Array(repeating: UInt8(0), count: 128) + Array("DICM".utf8)
        data += [0x02, 0x00, 0x10, 0x00] + Array("UI".utf8) + [0x12, 0x00] + Array("1.2.840.10008.1.2\u{0}".utf8)
        for _ in 0..<100 {   // (0008,1140) SQ of undefined length, each holding an item of undefined length
            data += [0x08, 0x00, 0x40, 0x11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]
        }
        #expect(throws: DICOMError.self) { try DICOMReader().read(data) }
    }

    @Test("A text file is not DICOM")
    func notDICOM() {
        #expect(throws: DICOMError.self) { try DICOMReader().read(Array("患者姓名：张三\n".utf8)) }
    }
}

/// A small deterministic generator for mutation tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
