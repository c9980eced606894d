/// Problems with a policy file, each naming its line and field.
///
/// - Important: Messages quote the policy's own words (field names, actions), never document content.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line in the policy file, when known.
        public var line: Int?
        /// The YAML path of the field (`entities.PERSON.action`).
        public var field: String
        public var message: String

        public var description: String { (line.map { "line \($0): " } ?? "") + message }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
