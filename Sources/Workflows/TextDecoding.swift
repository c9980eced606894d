public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decodes text files: UTF-8 (with or without BOM), UTF-16 with a BOM, and GB18030/GBK, which
/// Chinese hospital systems still export. Anything else is rejected rather than garbled.
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16LE = "UTF-16LE"
        case utf16BE = "UTF-16BE"
        case gb18030 = "GB18030"
    }

    /// Decodes `data`, naming `source` (a path or `-`) in any error.
    /// - Throws: `InputError` with code `.encoding` when the bytes are not valid in any supported encoding.
    public static func decode(_ data: Data, source: String) throws -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let s = String(validating: bytes.dropFirst(3), as: UTF8.self) { return (s, .utf8) }
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            if let s = decodeUTF16(Array(bytes.dropFirst(2)), littleEndian: little) { return (s, little ? .utf16LE : .utf16BE) }
        } else if let s = String(validating: bytes, as: UTF8.self) {
            return (s, .utf8)
        } else if let s = iconvDecode(bytes, from: "GB18030") {
            return (s, .gb18030)
        }
        if bytes.contains(0) {
            throw InputError(.encoding, "\(source): looks like a binary file (NUL bytes), not text. Pass a text file.")
        }
        throw InputError(.encoding, "\(source): text is neither UTF-8, UTF-16 (with BOM) nor GB18030. Convert it to UTF-8 first (e.g. iconv -f <encoding> -t UTF-8).")
    }

    private static func decodeUTF16(_ bytes: [UInt8], littleEndian: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        for i in stride(from: 0, to: bytes.count, by: 2) {
            units.append(littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
        }
        return String(validating: units, as: UTF16.self)
    }

    /// Strict conversion with glibc's iconv: any invalid sequence fails the whole decode.
    static func iconvDecode(_ bytes: [UInt8], from encoding: String) -> String? {
        guard !bytes.isEmpty, !bytes.contains(0) else { return nil }
        let cd = iconv_open("UTF-8", encoding)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return result == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output[0..<written], as: UTF8.self)
    }
}
