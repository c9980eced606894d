/// A data element tag (group, element).
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var group: UInt16
    public var element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    public init(_ value: UInt32) {
        self.init(UInt16(value >> 16), UInt16(value & 0xFFFF))
    }

    public var value: UInt32 { UInt32(group) << 16 | UInt32(element) }

    /// Odd groups other than 1, 3, 5, 7 and FFFF hold private data elements.
    public var isPrivate: Bool { group % 2 == 1 && group > 0x0007 && group != 0xFFFF }
    /// (gggg,0010–00FF) in a private group reserves a block for a private creator.
    public var isPrivateCreator: Bool { isPrivate && element >= 0x0010 && element <= 0x00FF }
    public var isGroupLength: Bool { element == 0x0000 }

    public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.value < rhs.value }

    public var description: String {
        "(" + Self.hex(group) + "," + Self.hex(element) + ")"
    }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    // Tags the reader and writer need by name.
    public static let fileMetaInformationGroupLength = Tag(0x0002, 0x0000)
    public static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    public static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    public static let transferSyntaxUID = Tag(0x0002, 0x0010)
    public static let specificCharacterSet = Tag(0x0008, 0x0005)
    public static let sopInstanceUID = Tag(0x0008, 0x0018)
    public static let patientName = Tag(0x0010, 0x0010)
    public static let pixelData = Tag(0x7FE0, 0x0010)
    public static let item = Tag(0xFFFE, 0xE000)
    public static let itemDelimitation = Tag(0xFFFE, 0xE00D)
    public static let sequenceDelimitation = Tag(0xFFFE, 0xE0DD)
}

/// A tag with wildcard hex digits, as the standard writes repeating groups: `60xx3000` matches (6000,3000) …
/// (60FF,3000).
public struct TagPattern: Hashable, Sendable {
    public var mask: UInt32
    public var value: UInt32

    /// Parses eight hex digits, `x` standing for any digit. Nil for anything else.
    public init?(_ text: some StringProtocol) {
        guard text.count == 8 else { return nil }
        var mask: UInt32 = 0, value: UInt32 = 0
        for character in text {
            mask <<= 4
            value <<= 4
            if let digit = character.hexDigitValue {
                mask |= 0xF
                value |= UInt32(digit)
            } else if character != "x" && character != "X" {
                return nil
            }
        }
        self.mask = mask
        self.value = value
    }

    /// True when every fixed digit agrees.
    public func matches(_ tag: Tag) -> Bool { tag.value & mask == value }
    /// True when no digit is a wildcard.
    public var isExact: Bool { mask == 0xFFFF_FFFF }
}
