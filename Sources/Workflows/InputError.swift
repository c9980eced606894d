/// Bad input: a file that cannot be read or decoded, a malformed JSON line, a missing key.
///
/// - Important: Messages name the file, line or byte offset — never the content.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        let rawValue: String
        public static let unreadable = Code(rawValue: "unreadable")
        public static let encoding = Code(rawValue: "encoding")
        public static let malformedJSON = Code(rawValue: "malformed-json")
        public static let missingKey = Code(rawValue: "missing-key")
        public static let tooLarge = Code(rawValue: "too-large")
        /// An output that cannot be written (folder missing or read-only, disk full).
        public static let unwritable = Code(rawValue: "unwritable")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
