public import Core
public import Policy

/// A reviewer's verdicts on findings, held by value so they apply wherever the same value is found again — in the
/// Markdown the reviewer saw and in the page text of the document being redacted, whose offsets differ. A rejected
/// value (not PHI) is left as it is; an accepted one is anonymized even where the policy would only tag or alert.
public struct ReviewVerdicts: Sendable, Equatable {
    /// A finding's type and text, whitespace left out (a value broken over two lines of a page is the same value).
    public struct Value: Hashable, Sendable {
        public var kind: EntityKind
        public var text: String

        public init(kind: EntityKind, text: String) {
            self.kind = kind
            self.text = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
        }

        /// The value at code-point offsets `range` of `scalars`.
        public init(kind: EntityKind, range: Range<Int>, in scalars: [Unicode.Scalar]) {
            let clamped = min(range.lowerBound, scalars.count)..<min(range.upperBound, scalars.count)
            self.init(kind: kind, text: String(String.UnicodeScalarView(scalars[clamped])))
        }

        /// The value of `finding` in `scalars`, the text its offsets count in.
        public init(_ finding: Finding, in scalars: [Unicode.Scalar]) {
            self.init(kind: finding.kind, range: finding.range, in: scalars)
        }
    }

    public var rejected: Set<Value>
    public var accepted: Set<Value>

    public init(rejected: Set<Value> = [], accepted: Set<Value> = []) {
        self.rejected = rejected
        self.accepted = accepted
    }

    public var isEmpty: Bool { rejected.isEmpty && accepted.isEmpty }

    /// `decision` with the verdicts applied to `text`: a rejected value's entries drop to `tag` (kept, still
    /// listed), an accepted value's findings are anonymized with the policy's operator for their type — also one the
    /// policy left under its threshold. A value both accepted and rejected (two reviews of one value) is anonymized.
    public func applied(to decision: Decision, text: String, under enforcement: PolicyEnforcement) -> Decision {
        guard !isEmpty else { return decision }
        let scalars = Array(text.unicodeScalars)
        var entries = decision.entries
        var acted = Set(entries.map(\.finding))
        for index in entries.indices {
            let value = Value(entries[index].finding, in: scalars)
            if accepted.contains(value) {
                if entries[index].action < .anonymize {
                    entries[index].action = .anonymize
                    entries[index].operator = enforcement.anonymizeOperator(for: value.kind)
                }
            } else if rejected.contains(value), entries[index].action != .block {
                entries[index].action = .tag
                entries[index].operator = nil
            }
        }
        for finding in decision.findings where !acted.contains(finding) && accepted.contains(Value(finding, in: scalars)) {
            entries.append(Decision.Entry(finding: finding, action: .anonymize, operator: enforcement.anonymizeOperator(for: finding.kind)))
            acted.insert(finding)
        }
        var reviewed = decision
        reviewed.entries = entries.sorted { ($0.finding.start, $0.finding.end) < ($1.finding.start, $1.finding.end) }
        reviewed.action = entries.map(\.action).max() ?? .tag
        return reviewed
    }
}

extension PolicyEnforcement {
    /// The operator the policy anonymizes `kind` with: its type's anonymize rule, else the default rule's, else
    /// `replace` (a reviewer accepted a finding of a type the policy does not anonymize).
    public func anonymizeOperator(for kind: EntityKind) -> String {
        let operators = policy.anonymizeOperators
        return operators.first { $0.0 == kind }?.1 ?? operators.first { $0.0 == nil }?.1 ?? "replace"
    }
}
