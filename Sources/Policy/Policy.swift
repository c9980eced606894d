public import Core

/// What a policy does with a finding; ordered tag < alert < anonymize < block (the strictest decides an item).
public enum PolicyAction: String, Sendable, CaseIterable, Comparable, Codable {
    case tag, alert, anonymize, block

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: PolicyAction, rhs: PolicyAction) -> Bool { lhs.rank < rhs.rank }
}

/// The rule for one entity type.
public struct EntityRule: Sendable, Equatable {
    public var action: PolicyAction
    /// Findings scoring below this are not acted on.
    public var threshold: Double
    /// For `anonymize`: the operator, as the PHI engine spells it (`mask`, `replace:[NAME]`, `date-shift` …).
    public var `operator`: String?

    public init(action: PolicyAction, threshold: Double = 0.5, operator: String? = nil) {
        self.action = action
        self.threshold = threshold
        self.operator = `operator`
    }
}

/// A versioned policy: per entity type an action, a threshold and an operator, and a default for the rest.
public struct Policy: Sendable, Equatable {
    public var version: PolicyVersion
    public var name: String?
    public var rules: [EntityKind: EntityRule]
    /// For types without a rule of their own.
    public var defaultRule: EntityRule

    public init(version: PolicyVersion, name: String? = nil, rules: [EntityKind: EntityRule], defaultRule: EntityRule) {
        self.version = version
        self.name = name
        self.rules = rules
        self.defaultRule = defaultRule
    }

    public func rule(for kind: EntityKind) -> EntityRule { rules[kind] ?? defaultRule }

    /// The decision for one item: each finding at or above its type's threshold gets its type's action; the item
    /// gets the strictest of them (`tag` when there are none); alert-level findings raise alerts whatever the item's
    /// action.
    public func decide(_ findings: [Finding]) -> Decision {
        var acted: [Decision.Entry] = []
        for finding in findings {
            let rule = rule(for: finding.kind)
            guard finding.score >= rule.threshold else { continue }
            acted.append(Decision.Entry(finding: finding, action: rule.action, operator: rule.operator))
        }
        let action = acted.map(\.action).max() ?? .tag
        return Decision(policyVersion: version.description, entries: acted, action: action)
    }
}

/// What a policy decided for one item.
public struct Decision: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var finding: Finding
        public var action: PolicyAction
        public var `operator`: String?
    }

    public var policyVersion: String
    /// The findings acted on (those under their threshold are left out), with their actions.
    public var entries: [Entry]
    /// The item's action: the strictest of the entries'.
    public var action: PolicyAction

    /// Findings that raise an alert event.
    public var alerts: [Finding] { entries.filter { $0.action == .alert }.map(\.finding) }
    /// True when the item must not be output at all.
    public var blocks: Bool { action == .block }
}

/// `v<major>.<minor>`. Major versions are schema generations: a loader accepts only the ones it knows.
public struct PolicyVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        guard text.hasPrefix("v") else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "v\(major).\(minor)" }
    public static func < (lhs: PolicyVersion, rhs: PolicyVersion) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }
}
