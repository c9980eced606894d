/// A readable listing of a dataset, one element per line, items indented.
///
/// - Important: Values that can identify a person (names, texts, dates, times, ages, private data) print as
///   `<redacted>` unless `showValues` is set; UIDs, codes and numbers print as they are.
public struct DatasetDump: Sendable {
    public var showValues: Bool
    /// Longest value printed before it is cut with "…".
    public var maximumValueLength = 64

    public init(showValues: Bool = false) {
        self.showValues = showValues
    }

    public func lines(_ dataset: Dataset, transferSyntax: TransferSyntax, characterSet: SpecificCharacterSet? = nil,
                      depth: Int = 0) -> [String] {
        let characterSet = dataset[.specificCharacterSet] != nil ? SpecificCharacterSet(dataset) : (characterSet ?? .default)
        let indent = String(repeating: "  > ", count: depth)
        var lines: [String] = []
        for element in dataset.elements {
            let keyword = element.tag.isPrivateCreator ? "PrivateCreator"
                : element.tag.isPrivate ? "Private" : DataDictionary.entry(for: element.tag)?.keyword ?? "Unknown"
            let head = "\(indent)\(element.tag) \(element.vr.rawValue) \(keyword.padding(toLength: max(0, 36 - indent.count)))"
            switch element.value {
            case .sequence(let items):
                lines.append("\(head) \(items.count) item\(items.count == 1 ? "" : "s")\(element.undefinedLength ? " (undefined length)" : "")")
                for (index, item) in items.enumerated() {
                    lines.append("\(indent)  > item \(index + 1)")
                    lines += self.lines(item.dataset, transferSyntax: transferSyntax, characterSet: characterSet, depth: depth + 1)
                }
            case .fragments(let table, let fragments):
                let total = fragments.reduce(0) { $0 + $1.count }
                lines.append("\(head) encapsulated: offset table \(table.count) bytes, \(fragments.count) fragments, \(total) bytes")
            case .bytes(let bytes):
                lines.append("\(head) [\(bytes.count)] \(value(element, bytes: bytes, characterSet: characterSet, bigEndian: transferSyntax.isBigEndian))")
            }
        }
        return lines
    }

    private func value(_ element: DataElement, bytes: [UInt8], characterSet: SpecificCharacterSet, bigEndian: Bool) -> String {
        let identifying: Set<VR> = [.PN, .LO, .LT, .SH, .ST, .UT, .UC, .DA, .DT, .TM, .AS, .AE, .UR, .OB, .OW, .UN, .OD, .OF, .OL, .OV]
        let hidden = element.tag.isPrivateCreator ? false : element.tag.isPrivate || identifying.contains(element.vr)
        if !showValues, hidden, element.tag != Tag(0x0002, 0x0001) {
            return bytes.isEmpty ? "" : "<redacted>"
        }
        let text: String
        switch element.vr {
        case .US, .SS, .UL, .SL, .FL, .FD, .AT, .SV, .UV:
            text = Self.numbers(bytes, vr: element.vr, bigEndian: bigEndian)
        case .OB, .OW, .UN, .OD, .OF, .OL, .OV:
            text = bytes.prefix(16).map { String($0, radix: 16) }.joined(separator: " ") + (bytes.count > 16 ? " …" : "")
        default:
            text = characterSet.decode(bytes, vr: element.vr)
        }
        return text.count > maximumValueLength ? String(text.prefix(maximumValueLength)) + "…" : text
    }

    private static func numbers(_ bytes: [UInt8], vr: VR, bigEndian: Bool) -> String {
        let size = vr.wordSize
        guard size > 0, !bytes.isEmpty else { return "" }
        var values: [String] = []
        var index = 0
        while index + size <= bytes.count, values.count < 16 {
            var raw: UInt64 = 0
            for k in 0..<size {
                let byte = UInt64(bytes[index + k])
                raw |= bigEndian ? byte << UInt64(8 * (size - 1 - k)) : byte << UInt64(8 * k)
            }
            switch vr {
            case .US, .UL, .UV: values.append(String(raw))
            case .SS: values.append(String(Int16(truncatingIfNeeded: raw)))
            case .SL: values.append(String(Int32(truncatingIfNeeded: raw)))
            case .SV: values.append(String(Int64(bitPattern: raw)))
            case .FL: values.append(String(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            case .FD: values.append(String(Double(bitPattern: raw)))
            case .AT: values.append(Tag(UInt32(truncatingIfNeeded: raw << 16 | raw >> 16) & 0xFFFF_FFFF).description)
            default: break
            }
            index += size
        }
        return values.joined(separator: "\\") + (index < bytes.count ? "\\…" : "")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
