/// Bounds-checked reading of a byte buffer in either byte order. Every read that would pass the end throws a
/// ``DICOMError`` with the offset; nothing is read past `end`.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int
    var end: Int
    var bigEndian: Bool
    /// Added to positions in errors (the start of the dataset within the file).
    var baseOffset = 0

    init(_ bytes: [UInt8], position: Int = 0, end: Int? = nil, bigEndian: Bool = false) {
        self.bytes = bytes
        self.position = position
        self.end = end ?? bytes.count
        self.bigEndian = bigEndian
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }
    var fileOffset: Int { baseOffset + position }

    mutating func need(_ count: Int, _ what: @autoclosure () -> String, tag: Tag? = nil) throws(DICOMError) {
        guard count >= 0, count <= remaining else {
            throw DICOMError(.truncated, "\(what()) needs \(count) bytes but only \(remaining) remain", offset: fileOffset, tag: tag)
        }
    }

    mutating func u16(_ what: @autoclosure () -> String = "a 16-bit value") throws(DICOMError) -> UInt16 {
        try need(2, what())
        let a = UInt16(bytes[position]), b = UInt16(bytes[position + 1])
        position += 2
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    mutating func u32(_ what: @autoclosure () -> String = "a 32-bit value") throws(DICOMError) -> UInt32 {
        try need(4, what())
        var value: UInt32 = 0
        for index in 0..<4 {
            let byte = UInt32(bytes[position + index])
            value |= bigEndian ? byte << UInt32(8 * (3 - index)) : byte << UInt32(8 * index)
        }
        position += 4
        return value
    }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String, tag: Tag? = nil) throws(DICOMError) -> [UInt8] {
        try need(count, what(), tag: tag)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    func peekTag() -> Tag? {
        guard remaining >= 4 else { return nil }
        var copy = self
        guard let group = try? copy.u16(), let element = try? copy.u16() else { return nil }
        return Tag(group, element)
    }
}

/// Writes in either byte order.
struct ByteSink {
    var bytes: [UInt8] = []
    var bigEndian: Bool

    mutating func u16(_ value: UInt16) {
        if bigEndian { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] } else { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    }

    mutating func u32(_ value: UInt32) {
        for index in 0..<4 {
            let shift = bigEndian ? UInt32(8 * (3 - index)) : UInt32(8 * index)
            bytes.append(UInt8((value >> shift) & 0xFF))
        }
    }

    mutating func tag(_ tag: Tag) {
        u16(tag.group)
        u16(tag.element)
    }
}
