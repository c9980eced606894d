import Glibc

/// Decodes text values by the dataset's Specific Character Set (0008,0005): the default repertoire, ISO_IR 100
/// (Latin-1), ISO_IR 192 (UTF-8), GB18030, GBK, and ISO 2022 with code extensions (IR 58 Chinese, IR 87/159
/// Japanese, IR 149 Korean) switched by escape sequences inside the value.
public struct SpecificCharacterSet: Sendable, Equatable {
    /// The defined terms as written in the dataset ("ISO_IR 192", "ISO 2022 IR 6\ISO 2022 IR 58").
    public var terms: [String]

    public init(terms: [String]) {
        self.terms = terms
    }

    /// The character set of a dataset (the default repertoire when it has none).
    public init(_ dataset: Dataset) {
        let raw = dataset[.specificCharacterSet].map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        terms = raw.split(separator: "\\", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .nullsAndSpaces) }
    }

    public static let `default` = SpecificCharacterSet(terms: [])

    /// The value as text; VRs outside the character set's reach (UI, CS, DA …) are read as ASCII.
    public func decode(_ bytes: [UInt8], vr: VR) -> String {
        let trimmed = Self.trimPadding(bytes)
        guard vr.usesCharacterSet else { return String(decoding: trimmed, as: UTF8.self) }
        let first = terms.first ?? ""
        if terms.count <= 1, !first.hasPrefix("ISO 2022") {
            return Self.convert(trimmed, from: Self.iconvName(first)) ?? String(decoding: trimmed, as: UTF8.self)
        }
        return decodeISO2022(trimmed)
    }

    /// The text encoded in this character set, for writing a value back into its dataset. ISO 2022 code
    /// extensions are not written: non-ASCII characters then become "?" (the de-identifier only writes back text
    /// it has cleaned, so nothing identifying is lost by that).
    public func encode(_ text: String) -> [UInt8] {
        let first = terms.first ?? ""
        if terms.count <= 1, !first.hasPrefix("ISO 2022") {
            let name = Self.iconvName(first)
            if name == "UTF-8" { return Array(text.utf8) }
            if let bytes = Self.convert(Array(text.utf8), from: "UTF-8", to: name) { return bytes }
        }
        return Array(String(text.unicodeScalars.map { $0.isASCII ? Character($0) : "?" }).utf8)
    }

    /// iconv's name for a single-byte or multi-byte set.
    private static func iconvName(_ term: String) -> String {
        switch term {
        case "ISO_IR 192": "UTF-8"
        case "GB18030": "GB18030"
        case "GBK": "GBK"
        case "ISO_IR 100": "ISO-8859-1"
        case "ISO_IR 101": "ISO-8859-2"
        case "ISO_IR 109": "ISO-8859-3"
        case "ISO_IR 110": "ISO-8859-4"
        case "ISO_IR 144": "ISO-8859-5"
        case "ISO_IR 127": "ISO-8859-6"
        case "ISO_IR 126": "ISO-8859-7"
        case "ISO_IR 138": "ISO-8859-8"
        case "ISO_IR 148": "ISO-8859-9"
        case "ISO_IR 166": "TIS-620"
        case "ISO_IR 13": "SHIFT_JIS"
        default: "ISO-8859-1"   // the default repertoire is ASCII; Latin-1 decodes it and never fails
        }
    }

    /// ISO 2022: runs between escape sequences, each decoded in the set the last escape designated.
    private func decodeISO2022(_ bytes: [UInt8]) -> String {
        var result = ""
        var current = "ISO-8859-1"
        var sevenBitMultibyte = false
        var run: [UInt8] = []
        func flush() {
            guard !run.isEmpty else { return }
            let input = sevenBitMultibyte ? run.map { $0 | 0x80 } : run
            result += Self.convert(input, from: current) ?? String(decoding: run, as: UTF8.self)
            run.removeAll()
        }
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x1B, let (name, sevenBit, length) = Self.escape(bytes, at: index) {
                flush()
                current = name
                sevenBitMultibyte = sevenBit
                index += length
                continue
            }
            run.append(bytes[index])
            index += 1
        }
        flush()
        return result
    }

    /// The set an escape sequence designates: (iconv name, whether its bytes are 7-bit, sequence length).
    private static func escape(_ bytes: [UInt8], at index: Int) -> (String, Bool, Int)? {
        let rest = Array(bytes[index..<min(bytes.count, index + 4)])
        switch rest {
        case let r where r.starts(with: [0x1B, 0x28, 0x42]): return ("ISO-8859-1", false, 3)   // ESC ( B  ASCII
        case let r where r.starts(with: [0x1B, 0x28, 0x4A]): return ("ISO-8859-1", false, 3)   // ESC ( J  JIS X 0201 Roman
        case let r where r.starts(with: [0x1B, 0x2D, 0x41]): return ("ISO-8859-1", false, 3)   // ESC - A  Latin-1 G1
        case let r where r.starts(with: [0x1B, 0x24, 0x29, 0x41]): return ("GB2312", false, 4)  // ESC $ ) A  IR 58 (G1)
        case let r where r.starts(with: [0x1B, 0x24, 0x41]): return ("GB2312", true, 3)        // ESC $ A
        case let r where r.starts(with: [0x1B, 0x24, 0x42]): return ("EUC-JP", true, 3)        // ESC $ B  IR 87
        case let r where r.starts(with: [0x1B, 0x24, 0x29, 0x43]): return ("EUC-KR", false, 4) // ESC $ ) C  IR 149
        default: return nil
        }
    }

    private static func trimPadding(_ bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 || bytes[end - 1] == 0x20 { end -= 1 }
        return Array(bytes[0..<end])
    }

    /// Converts with iconv; nil when the bytes are not valid in that set.
    static func convert(_ bytes: [UInt8], from encoding: String) -> String? {
        if encoding == "UTF-8" {
            return String(validating: bytes, as: UTF8.self)
        }
        return convert(bytes, from: encoding, to: "UTF-8").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Converts bytes between two iconv encodings; nil when they cannot be converted.
    static func convert(_ bytes: [UInt8], from encoding: String, to target: String) -> [UInt8]? {
        guard let converter = iconv_open(target, encoding), converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        return output[0..<produced].map { UInt8(bitPattern: $0) }
    }
}
