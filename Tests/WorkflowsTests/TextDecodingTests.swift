import Foundation
import Testing
import Workflows

@Suite("Text input decoding")
struct TextDecodingTests {
    /// 患者张军 in GB18030.
    static let gb18030: [UInt8] = [0xBB, 0xBC, 0xD5, 0xDF, 0xD5, 0xC5, 0xBE, 0xFC]

    @Test("GB18030 text is detected and decoded, not garbled")
    func gb18030() throws {
        let decoded = try TextDecoding.decode(Data(Self.gb18030), source: "note.txt")
        #expect(decoded.text == "患者张军")
        #expect(decoded.encoding == .gb18030)
    }

    @Test("UTF-8 with a BOM and UTF-16 with a BOM decode")
    func boms() throws {
        #expect(try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF] + Array("张军".utf8)), source: "a").text == "张军")
        let units: [UInt8] = Array("张军".utf16).flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let utf16: [UInt8] = [0xFF, 0xFE] + units
        #expect(try TextDecoding.decode(Data(utf16), source: "b").text == "张军")
    }

    @Test("Binary or undecodable input is rejected with the file's name and no content")
    func rejection() {
        do {
            _ = try TextDecoding.decode(Data([0x00, 0x01, 0xFF, 0xFE, 0x41, 0x00, 0x80]), source: "scan.bin")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.message.hasPrefix("scan.bin:"))
            #expect(error.code == .encoding)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("A malformed JSON line is reported by line number without its content")
    func malformedJSONLine() {
        let data = Data("{\"id\":\"a\",\"text\":\"患者张军\"}\n{\"id\":\"b\",\"txt\":\"患者李四\"}\n".utf8)
        do {
            _ = try JSONLines.documents(in: data, source: "gold.jsonl")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.message.contains("gold.jsonl line 2"))
            #expect(!error.message.contains("李四"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
