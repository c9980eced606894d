/// How a dataset is encoded: VR explicit or implicit, byte order, deflate, encapsulated pixel data.
public struct TransferSyntax: Hashable, Sendable {
    public var uid: String
    public var isExplicitVR: Bool
    public var isBigEndian: Bool
    public var isDeflated: Bool
    /// Pixel data in fragments (compressed), never decoded by the reader.
    public var isEncapsulated: Bool

    public static let implicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2", isExplicitVR: false, isBigEndian: false,
                                                              isDeflated: false, isEncapsulated: false)
    public static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1", isExplicitVR: true, isBigEndian: false,
                                                              isDeflated: false, isEncapsulated: false)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1.99", isExplicitVR: true,
                                                                      isBigEndian: false, isDeflated: true, isEncapsulated: false)
    public static let explicitVRBigEndian = TransferSyntax(uid: "1.2.840.10008.1.2.2", isExplicitVR: true, isBigEndian: true,
                                                           isDeflated: false, isEncapsulated: false)

    /// The syntax named by a Transfer Syntax UID: the four native ones, and every other as explicit VR little endian
    /// with encapsulated pixel data (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG … all are).
    public init(uid: String) {
        let trimmed = uid.trimmingCharacters(in: .nullsAndSpaces)
        switch trimmed {
        case Self.implicitVRLittleEndian.uid: self = .implicitVRLittleEndian
        case Self.explicitVRLittleEndian.uid: self = .explicitVRLittleEndian
        case Self.deflatedExplicitVRLittleEndian.uid: self = .deflatedExplicitVRLittleEndian
        case Self.explicitVRBigEndian.uid: self = .explicitVRBigEndian
        default: self.init(uid: trimmed, isExplicitVR: true, isBigEndian: false, isDeflated: false, isEncapsulated: true)
        }
    }

    public init(uid: String, isExplicitVR: Bool, isBigEndian: Bool, isDeflated: Bool, isEncapsulated: Bool) {
        self.uid = uid
        self.isExplicitVR = isExplicitVR
        self.isBigEndian = isBigEndian
        self.isDeflated = isDeflated
        self.isEncapsulated = isEncapsulated
    }
}

extension String {
    enum TrimSet { case nullsAndSpaces }

    /// Without trailing NUL and space padding and leading spaces.
    func trimmingCharacters(in set: TrimSet) -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == "\u{0}" || last == " " { scalars.removeLast() }
        while let first = scalars.first, first == " " { scalars.removeFirst() }
        return String(scalars)
    }
}
