public import Core

/// A hospital's own identifier format, declared in the policy without code: a label, the entity type it finds,
/// a regular expression, and optionally context words of which one must appear within `window` code points
/// before the match (`住院号`, `MRN`).
public struct SiteRecognizer: Sendable, Equatable {
    public var name: String
    public var kind: EntityKind
    public var pattern: String
    public var score: Double
    public var context: [String]
    public var window: Int
    private let compiled: CompiledPattern

    /// - Throws: ``ValueMatcher/PatternError`` for a pattern that does not compile.
    public init(name: String, kind: EntityKind, pattern: String, score: Double = 0.9, context: [String] = [], window: Int = 12) throws(ValueMatcher.PatternError) {
        self.name = name
        self.kind = kind
        self.pattern = pattern
        self.score = score
        self.context = context
        self.window = window
        compiled = try CompiledPattern(pattern)
    }

    public func findings(in text: String) -> [Finding] {
        let ranges = compiled.ranges(in: text)
        guard !ranges.isEmpty else { return [] }
        let scalars = Array(text.unicodeScalars)
        return ranges.compactMap { range in
            var words: [String] = []
            if !context.isEmpty {
                let before = String(String.UnicodeScalarView(scalars[max(0, range.lowerBound - window)..<range.lowerBound])).lowercased()
                words = context.filter { before.contains($0.lowercased()) }
                guard !words.isEmpty else { return nil }
            }
            return Finding(kind: kind, range: range, score: score,
                           explanation: Explanation(recognizer: "site:" + name, pattern: "policy pattern", contextWords: words))
        }
    }

    public static func == (lhs: SiteRecognizer, rhs: SiteRecognizer) -> Bool {
        (lhs.name, lhs.kind, lhs.pattern, lhs.score, lhs.context, lhs.window) == (rhs.name, rhs.kind, rhs.pattern, rhs.score, rhs.context, rhs.window)
    }
}

/// Where alert and block events are POSTed.
public struct WebhookTarget: Sendable, Equatable {
    public var url: String
    /// `alert`, `block`.
    public var events: Set<String>

    public init(url: String, events: Set<String> = ["alert", "block"]) {
        self.url = url
        self.events = events
    }
}
