/// Writes ``DICOMFile``s: the preamble and `DICM` when the file had them, File Meta Information in explicit VR
/// little endian, the dataset in its transfer syntax. Lengths are recomputed from the values; undefined lengths
/// stay undefined. An unchanged dataset is written back byte for byte.
public struct DICOMWriter: Sendable {
    public init() {}

    public func write(_ file: DICOMFile) -> [UInt8] {
        var out: [UInt8] = []
        if file.hasPrefix {
            out += file.preamble ?? []
            out += Array("DICM".utf8)
        }
        var meta = ByteSink(bigEndian: false)
        Encoder(syntax: .explicitVRLittleEndian).write(file.meta, into: &meta)
        out += meta.bytes
        var body = ByteSink(bigEndian: file.transferSyntax.isBigEndian)
        Encoder(syntax: file.transferSyntax).write(file.dataset, into: &body)
        if file.transferSyntax.isDeflated {
            if let original = file.deflatedOriginal, original.inflated == body.bytes {
                out += original.deflated
            } else {
                out += Deflate.deflate(body.bytes)
            }
        } else {
            out += body.bytes
        }
        return out
    }
}

struct Encoder {
    let syntax: TransferSyntax

    func write(_ dataset: Dataset, into sink: inout ByteSink) {
        for element in dataset.elements { write(element, into: &sink) }
    }

    private func write(_ element: DataElement, into sink: inout ByteSink) {
        // Encode the value first: its length goes in the header.
        var value = ByteSink(bigEndian: sink.bigEndian)
        var nestedSyntax = syntax
        if element.vr == .UN, element.undefinedLength, case .sequence = element.value { nestedSyntax = .implicitVRLittleEndian }
        let nested = Encoder(syntax: nestedSyntax)
        switch element.value {
        case .bytes(let bytes):
            value.bytes = bytes
        case .sequence(let items):
            if nestedSyntax != syntax { value.bigEndian = false }
            for item in items {
                var body = ByteSink(bigEndian: value.bigEndian)
                nested.write(item.dataset, into: &body)
                value.tag(.item)
                value.u32(item.undefinedLength ? 0xFFFF_FFFF : UInt32(body.bytes.count))
                value.bytes += body.bytes
                if item.undefinedLength {
                    value.tag(.itemDelimitation)
                    value.u32(0)
                }
            }
            if element.undefinedLength {
                value.tag(.sequenceDelimitation)
                value.u32(0)
            }
        case .fragments(let table, let fragments):
            var little = ByteSink(bigEndian: false)
            for fragment in [table] + fragments {
                little.tag(.item)
                little.u32(UInt32(fragment.count))
                little.bytes += fragment
            }
            little.tag(.sequenceDelimitation)
            little.u32(0)
            value.bytes = little.bytes
        }
        let length: UInt32 = element.undefinedLength ? 0xFFFF_FFFF : UInt32(value.bytes.count)
        sink.tag(element.tag)
        if syntax.isExplicitVR && element.tag.group != 0xFFFE {
            sink.bytes += element.vr.bytes
            if element.vr.hasLongLength {
                sink.u16(0)
                sink.u32(length)
            } else {
                sink.u16(UInt16(truncatingIfNeeded: length))
            }
        } else {
            sink.u32(length)
        }
        sink.bytes += value.bytes
    }
}
