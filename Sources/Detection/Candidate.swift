public import Core

/// A possible finding before thresholds and overlap resolution.
public struct Candidate: Sendable, Hashable {
    public var kind: EntityKind
    public var range: Range<Int>
    public var score: Double
    public var explanation: Explanation

    public init(kind: EntityKind, range: Range<Int>, score: Double, explanation: Explanation) {
        self.kind = kind
        self.range = range
        self.score = min(1, max(0, score))
        self.explanation = explanation
    }

    var finding: Finding { Finding(kind: kind, range: range, score: score, explanation: explanation) }
}

/// A recognizer finds candidates of one or more kinds in a scan text.
///
/// Recognizers are pure values: the same text always gives the same candidates, which is what
/// makes chunked scanning equal to whole-text scanning.
public protocol Recognizer: Sendable {
    /// A stable name shown in explanations, e.g. `cn-resident-id`.
    var name: String { get }
    /// The kinds this recognizer can produce.
    var kinds: Set<EntityKind> { get }
    /// Appends candidates found in `text`.
    func recognize(in text: ScanText, into candidates: inout [Candidate])
}
