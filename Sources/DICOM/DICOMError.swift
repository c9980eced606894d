/// Why a DICOM file could not be read or written.
///
/// - Important: Messages name the byte offset and the tag — never a value.
public struct DICOMError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        public static let notDICOM = Code(rawValue: "not-dicom")
        public static let truncated = Code(rawValue: "truncated")
        public static let malformed = Code(rawValue: "malformed")
        public static let unsupported = Code(rawValue: "unsupported")
        public static let tooDeep = Code(rawValue: "too-deep")
        public static let tooLarge = Code(rawValue: "too-large")
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    /// Byte offset in the file (or the inflated dataset for deflated files) where the problem is.
    public var offset: Int?
    public var tag: Tag?

    public init(_ code: Code, _ message: String, offset: Int? = nil, tag: Tag? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.tag = tag
    }

    public var description: String {
        var where_: [String] = []
        if let tag { where_.append("tag \(tag)") }
        if let offset { where_.append("byte \(offset)") }
        return where_.isEmpty ? message : message + " (" + where_.joined(separator: ", ") + ")"
    }
}
