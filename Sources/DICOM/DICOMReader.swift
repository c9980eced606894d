/// Reads DICOM files (Part 10 with or without preamble, and bare datasets) into ``DICOMFile``.
///
/// Every length is checked against the bytes that remain, nesting is bounded and every loop consumes input, so
/// malformed files end in a ``DICOMError`` with the byte offset and tag — never a crash, a hang or unbounded
/// memory.
public struct DICOMReader: Sendable {
    /// Deepest nesting of sequences accepted.
    public var maximumDepth = 64
    /// Largest inflated dataset accepted for deflated files.
    public var maximumInflatedSize = 1 << 30

    public init() {}

    /// - Throws: ``DICOMError``.
    public func read(_ bytes: [UInt8]) throws(DICOMError) -> DICOMFile {
        var position = 0
        var preamble: [UInt8]?
        var hasPrefix = false
        if bytes.count >= 132, bytes[128..<132].elementsEqual("DICM".utf8) {
            preamble = Array(bytes[0..<128])
            hasPrefix = true
            position = 132
        } else if bytes.count >= 4, bytes[0..<4].elementsEqual("DICM".utf8) {
            hasPrefix = true
            position = 4
        }
        var meta = Dataset()
        var syntax: TransferSyntax
        if hasPrefix || Self.startsWithMetaGroup(bytes) {
            var cursor = ByteCursor(bytes, position: position)
            var parser = Parser(syntax: .explicitVRLittleEndian, maximumDepth: maximumDepth)
            while let tag = cursor.peekTag(), tag.group == 0x0002 {
                meta.append(try parser.element(&cursor, depth: 0))
            }
            position = cursor.position
            guard let uid = meta[.transferSyntaxUID] else {
                throw DICOMError(.malformed, "the File Meta Information has no Transfer Syntax UID", offset: position)
            }
            syntax = TransferSyntax(uid: String(decoding: uid.bytes, as: UTF8.self))
        } else {
            guard let guessed = Self.guessSyntax(bytes) else {
                throw DICOMError(.notDICOM, "not a DICOM file: no DICM prefix at byte 128 and no dataset at the start", offset: 0)
            }
            syntax = guessed
        }
        var datasetBytes = bytes
        var deflated: (inflated: [UInt8], deflated: [UInt8])?
        if syntax.isDeflated {
            let inflated = try Deflate.inflate(bytes[position...], limit: maximumInflatedSize, offset: position)
            deflated = (inflated, Array(bytes[position...]))
            datasetBytes = inflated
            position = 0
        }
        var cursor = ByteCursor(datasetBytes, position: position, bigEndian: syntax.isBigEndian)
        var parser = Parser(syntax: syntax, maximumDepth: maximumDepth)
        let dataset = try parser.dataset(&cursor, depth: 0, until: nil)
        var file = DICOMFile(preamble: preamble, hasPrefix: hasPrefix, meta: meta, transferSyntax: syntax, dataset: dataset)
        file.deflatedOriginal = deflated
        return file
    }

    /// A file without preamble that starts with group 0002.
    private static func startsWithMetaGroup(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0] == 0x02 && bytes[1] == 0x00 && VR(bytes: bytes[4], bytes[5]) != nil
    }

    /// A bare dataset: explicit VR when a VR follows the first tag, big endian when the group reads as one.
    private static func guessSyntax(_ bytes: [UInt8]) -> TransferSyntax? {
        guard bytes.count >= 8 else { return nil }
        let littleGroup = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
        let bigGroup = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let explicit = VR(bytes: bytes[4], bytes[5]) != nil
        if littleGroup <= 0x0008 || littleGroup == 0x0010 || littleGroup == 0x0018 || littleGroup == 0x0020 || littleGroup == 0x0028 {
            return explicit ? .explicitVRLittleEndian : .implicitVRLittleEndian
        }
        if bigGroup <= 0x0010, explicit { return .explicitVRBigEndian }
        return nil
    }
}

/// The element grammar of one transfer syntax.
struct Parser {
    let syntax: TransferSyntax
    let maximumDepth: Int

    init(syntax: TransferSyntax, maximumDepth: Int) {
        self.syntax = syntax
        self.maximumDepth = maximumDepth
    }

    /// Elements until the cursor's end, or until `delimiter` (consumed).
    mutating func dataset(_ cursor: inout ByteCursor, depth: Int, until delimiter: Tag?) throws(DICOMError) -> Dataset {
        var dataset = Dataset()
        while !cursor.isAtEnd {
            if let delimiter, cursor.peekTag() == delimiter {
                _ = try cursor.u16(); _ = try cursor.u16()
                _ = try cursor.u32("the delimiter's length")
                return dataset
            }
            // Trailing padding of zero bytes after the last element (some writers leave it): kept by the writer
            // only if it is part of an element, so refuse silently dropping real data.
            dataset.append(try element(&cursor, depth: depth))
        }
        if delimiter != nil {
            throw DICOMError(.truncated, "the data ends inside an item or sequence of undefined length", offset: cursor.fileOffset)
        }
        return dataset
    }

    mutating func element(_ cursor: inout ByteCursor, depth: Int) throws(DICOMError) -> DataElement {
        let start = cursor.fileOffset
        let tag = Tag(try cursor.u16("a tag"), try cursor.u16("a tag"))
        let vr: VR
        let length: UInt32
        if syntax.isExplicitVR && tag.group != 0xFFFE {
            try cursor.need(2, "the VR", tag: tag)
            let b0 = cursor.bytes[cursor.position], b1 = cursor.bytes[cursor.position + 1]
            cursor.position += 2
            guard let explicitVR = VR(bytes: b0, b1) else {
                throw DICOMError(.malformed, "unknown VR bytes 0x\(String(b0, radix: 16)) 0x\(String(b1, radix: 16))", offset: start + 4, tag: tag)
            }
            vr = explicitVR
            if vr.hasLongLength {
                _ = try cursor.u16("the reserved bytes")
                length = try cursor.u32("the length")
            } else {
                length = UInt32(try cursor.u16("the length"))
            }
        } else {
            vr = tag.group == 0xFFFE ? .UN : DataDictionary.implicitVR(for: tag)
            length = try cursor.u32("the length")
        }
        if length == 0xFFFF_FFFF {
            guard depth < maximumDepth else {
                throw DICOMError(.tooDeep, "sequences nested deeper than \(maximumDepth) levels", offset: start, tag: tag)
            }
            if tag == .pixelData, vr != .SQ {
                return DataElement(tag: tag, vr: vr, value: try fragments(&cursor, tag: tag), undefinedLength: true)
            }
            // SQ, or UN of undefined length (a sequence in implicit VR little endian, PS3.5 §6.2.2).
            var nested = self
            if vr == .UN { nested = Parser(syntax: .implicitVRLittleEndian, maximumDepth: maximumDepth) }
            let items = try nested.items(&cursor, depth: depth + 1, end: nil)
            return DataElement(tag: tag, vr: vr, value: .sequence(items), undefinedLength: true)
        }
        let count = Int(length)
        try cursor.need(count, "the value of \(tag)", tag: tag)
        if vr == .SQ {
            guard depth < maximumDepth else {
                throw DICOMError(.tooDeep, "sequences nested deeper than \(maximumDepth) levels", offset: start, tag: tag)
            }
            let items = try self.items(&cursor, depth: depth + 1, end: cursor.position + count)
            return DataElement(tag: tag, vr: vr, value: .sequence(items))
        }
        return DataElement(tag: tag, vr: vr, value: .bytes(try cursor.take(count, "the value", tag: tag)))
    }

    /// Items of a sequence: until `end` (defined length) or the sequence delimitation item.
    private mutating func items(_ cursor: inout ByteCursor, depth: Int, end: Int?) throws(DICOMError) -> [Item] {
        var items: [Item] = []
        let outerEnd = cursor.end
        if let end { cursor.end = end }
        defer { cursor.end = outerEnd }
        while !cursor.isAtEnd {
            let start = cursor.fileOffset
            let tag = Tag(try cursor.u16("an item tag"), try cursor.u16("an item tag"))
            let length = try cursor.u32("an item length")
            if tag == .sequenceDelimitation {
                guard end == nil else { throw DICOMError(.malformed, "a sequence delimiter inside a sequence of defined length", offset: start) }
                return items
            }
            guard tag == .item else {
                throw DICOMError(.malformed, "expected an item (FFFE,E000) in a sequence, found \(tag)", offset: start, tag: tag)
            }
            if length == 0xFFFF_FFFF {
                items.append(Item(dataset: try dataset(&cursor, depth: depth, until: .itemDelimitation), undefinedLength: true))
            } else {
                let count = Int(length)
                try cursor.need(count, "an item", tag: tag)
                var inner = cursor
                inner.end = cursor.position + count
                items.append(Item(dataset: try dataset(&inner, depth: depth, until: nil)))
                cursor.position += count
            }
        }
        if end == nil {
            throw DICOMError(.truncated, "the data ends inside a sequence of undefined length", offset: cursor.fileOffset)
        }
        return items
    }

    /// Encapsulated pixel data: the basic offset table item, then fragment items, until the sequence delimiter.
    private mutating func fragments(_ cursor: inout ByteCursor, tag: Tag) throws(DICOMError) -> DataElement.Value {
        var table: [UInt8]?
        var fragments: [[UInt8]] = []
        while !cursor.isAtEnd {
            let start = cursor.fileOffset
            var little = cursor
            little.bigEndian = false
            let itemTag = Tag(try little.u16("a fragment tag"), try little.u16("a fragment tag"))
            let length = try little.u32("a fragment length")
            cursor.position = little.position
            if itemTag == .sequenceDelimitation { return .fragments(offsetTable: table ?? [], fragments: fragments) }
            guard itemTag == .item, length != 0xFFFF_FFFF else {
                throw DICOMError(.malformed, "expected a pixel data fragment item, found \(itemTag)", offset: start, tag: tag)
            }
            let bytes = try cursor.take(Int(length), "a pixel data fragment", tag: tag)
            if table == nil { table = bytes } else { fragments.append(bytes) }
        }
        throw DICOMError(.truncated, "the data ends inside encapsulated pixel data", offset: cursor.fileOffset, tag: tag)
    }
}
