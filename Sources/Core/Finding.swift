/// One detected identifier: where it is, what it is, how sure we are and why.
///
/// - Important: A finding never carries the matched value; callers that need it slice the text
///   they already hold. That keeps findings safe to log, audit and send across process boundaries.
public struct Finding: Hashable, Sendable, Codable {
    public var kind: EntityKind
    /// Unicode code-point offsets into the scanned text, end exclusive.
    public var range: Range<Int>
    /// Confidence in 0…1.
    public var score: Double
    public var explanation: Explanation

    public init(kind: EntityKind, range: Range<Int>, score: Double, explanation: Explanation) {
        self.kind = kind
        self.range = range
        self.score = score
        self.explanation = explanation
    }

    public var start: Int { range.lowerBound }
    public var end: Int { range.upperBound }
    public var length: Int { range.count }

    /// Hashes where and what, not why: findings are dictionary keys on every request's path, and hashing their
    /// explanation strings (Unicode-normalised) cost more than the lookup. Equality still compares everything.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(range.lowerBound)
        hasher.combine(range.upperBound)
        hasher.combine(kind)
    }

    enum CodingKeys: String, CodingKey { case type, start, end, score, explanation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(EntityKind.self, forKey: .type)
        let start = try c.decode(Int.self, forKey: .start)
        let end = try c.decode(Int.self, forKey: .end)
        guard start <= end else {
            throw DecodingError.dataCorruptedError(forKey: .end, in: c, debugDescription: "end before start")
        }
        range = start..<end
        score = try c.decodeIfPresent(Double.self, forKey: .score) ?? 1
        explanation = try c.decodeIfPresent(Explanation.self, forKey: .explanation) ?? Explanation(recognizer: "external")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .type)
        try c.encode(range.lowerBound, forKey: .start)
        try c.encode(range.upperBound, forKey: .end)
        try c.encode(score, forKey: .score)
        try c.encode(explanation, forKey: .explanation)
    }
}

/// Why a finding was reported. Holds names of rules and context words, never the matched value.
public struct Explanation: Hashable, Sendable, Codable {
    /// The recognizer that produced the finding, e.g. `cn-resident-id`.
    public var recognizer: String
    /// The pattern or shape that matched, e.g. `18 digits` or `label value`.
    public var pattern: String?
    /// The validator that ran and its outcome, e.g. `GB 11643 check digit: valid`.
    public var validation: String?
    /// Context words (labels, titles) near the value that raised the score.
    public var contextWords: [String]

    public init(recognizer: String, pattern: String? = nil, validation: String? = nil, contextWords: [String] = []) {
        self.recognizer = recognizer
        self.pattern = pattern
        self.validation = validation
        self.contextWords = contextWords
    }

    /// A one-line human-readable summary for tables.
    public var summary: String {
        var parts = [recognizer]
        if let pattern { parts.append(pattern) }
        if let validation { parts.append(validation) }
        if !contextWords.isEmpty { parts.append("context: " + contextWords.joined(separator: ",")) }
        return parts.joined(separator: "; ")
    }
}
