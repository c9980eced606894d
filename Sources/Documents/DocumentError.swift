/// Why a document could not be read.
///
/// - Important: Messages name the file, the page or the part of the container — never document content.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        public static let unreadable = Code(rawValue: "unreadable")
        public static let notAPDF = Code(rawValue: "not-a-pdf")
        public static let encrypted = Code(rawValue: "encrypted")
        public static let damaged = Code(rawValue: "damaged")
        public static let unsupportedFormat = Code(rawValue: "unsupported-format")
        public static let malformedContainer = Code(rawValue: "malformed-container")
        public static let malformedXML = Code(rawValue: "malformed-xml")
        public static let tooLarge = Code(rawValue: "too-large")
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    /// 1-based page the error is about, when it is about one.
    public var page: Int?
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, page: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.page = page
        self.underlying = underlying
    }

    public var description: String { message }
}
