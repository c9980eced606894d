public import Core
public import Foundation

/// What a policy does with a finding; ordered tag < alert < anonymize < block (the strictest decides an item).
public enum PolicyAction: String, Sendable, CaseIterable, Comparable, Codable {
    case tag, alert, anonymize, block

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: PolicyAction, rhs: PolicyAction) -> Bool { lhs.rank < rhs.rank }
}

/// What the policy knows about the item being decided, for rule conditions.
public struct ItemContext: Sendable, Equatable {
    /// `discharge_summary`, `lab_report`, `dicom`, … as the caller names it; nil when unknown.
    public var documentKind: String?
    public var language: Language?
    /// `text`, `pdf`, `docx`, `ocr`, `dicom`, `api`.
    public var source: String?

    public init(documentKind: String? = nil, language: Language? = nil, source: String? = nil) {
        self.documentKind = documentKind
        self.language = language
        self.source = source
    }
}

/// When a rule applies: every condition given must hold (an absent one always does).
public struct RuleConditions: Sendable, Equatable {
    public var documentKinds: Set<String>?
    public var languages: Set<Language>?
    public var sources: Set<String>?
    /// Inclusive score range of the finding.
    public var minScore: Double?
    public var maxScore: Double?

    public init(documentKinds: Set<String>? = nil, languages: Set<Language>? = nil, sources: Set<String>? = nil,
                minScore: Double? = nil, maxScore: Double? = nil) {
        self.documentKinds = documentKinds
        self.languages = languages
        self.sources = sources
        self.minScore = minScore
        self.maxScore = maxScore
    }

    public func hold(for finding: Finding, in context: ItemContext) -> Bool {
        if let documentKinds, !(context.documentKind.map(documentKinds.contains) ?? false) { return false }
        if let languages, !(context.language.map(languages.contains) ?? false) { return false }
        if let sources, !(context.source.map(sources.contains) ?? false) { return false }
        if let minScore, finding.score < minScore { return false }
        if let maxScore, finding.score > maxScore { return false }
        return true
    }
}

/// One rule for an entity type.
public struct EntityRule: Sendable, Equatable {
    public var action: PolicyAction
    /// Findings scoring below this are not acted on.
    public var threshold: Double
    /// For `anonymize`: the operator, as the PHI engine spells it (`mask`, `replace:[NAME]`, `date-shift` …).
    public var `operator`: String?
    /// The rule applies only when these hold; nil: always.
    public var conditions: RuleConditions?

    public init(action: PolicyAction, threshold: Double = 0.5, operator: String? = nil, conditions: RuleConditions? = nil) {
        self.action = action
        self.threshold = threshold
        self.operator = `operator`
        self.conditions = conditions
    }
}

/// Everything a policy says about one entity type: its rules (the first whose conditions hold applies), values
/// never acted on (allow) and values always found as this type (deny).
public struct EntityPolicy: Sendable, Equatable {
    public var rules: [EntityRule]
    public var allow: [ValueMatcher]
    public var deny: [ValueMatcher]

    public init(rules: [EntityRule], allow: [ValueMatcher] = [], deny: [ValueMatcher] = []) {
        self.rules = rules
        self.allow = allow
        self.deny = deny
    }

    public init(_ rule: EntityRule) { self.init(rules: [rule]) }

    func rule(for finding: Finding, in context: ItemContext) -> EntityRule? {
        rules.first { $0.conditions?.hold(for: finding, in: context) ?? true }
    }
}

/// How much a policy trusts the detectors.
public enum PolicyMode: String, Sendable, Equatable, CaseIterable {
    /// Findings are what the recognizers report.
    case standard
    /// Recall over precision (the Philter idea): every word not explained as clinical content by the allow
    /// vocabulary is also a finding, of type `UNEXPLAINED`.
    case defaultDeny = "default-deny"
}

/// A versioned policy: per entity type its rules, allow and deny lists; site recognizers; a default for the rest.
public struct Policy: Sendable, Equatable {
    public var version: PolicyVersion
    public var name: String?
    public var mode: PolicyMode
    public var entities: [EntityKind: EntityPolicy]
    /// For types without an entry of their own (and for entries none of whose rules applies).
    public var defaultRule: EntityRule
    /// Values never acted on, whatever their type (a hospital's own department names, say).
    public var allow: [ValueMatcher]
    public var recognizers: [SiteRecognizer]
    /// In `default-deny` mode: words and patterns that are clinical content, beyond the shipped vocabulary.
    public var clinicalWords: Set<String>
    public var webhooks: [WebhookTarget]

    public init(version: PolicyVersion, name: String? = nil, mode: PolicyMode = .standard, entities: [EntityKind: EntityPolicy],
                defaultRule: EntityRule, allow: [ValueMatcher] = [], recognizers: [SiteRecognizer] = [],
                clinicalWords: Set<String> = [], webhooks: [WebhookTarget] = []) {
        self.version = version
        self.name = name
        self.mode = mode
        self.entities = entities
        self.defaultRule = defaultRule
        self.allow = allow
        self.recognizers = recognizers
        self.clinicalWords = clinicalWords
        self.webhooks = webhooks
    }

    /// A policy of single unconditional rules (the v1.0 shape).
    public init(version: PolicyVersion, name: String? = nil, rules: [EntityKind: EntityRule], defaultRule: EntityRule) {
        self.init(version: version, name: name, entities: rules.mapValues(EntityPolicy.init), defaultRule: defaultRule)
    }

    /// The first rule of each type, for callers that only need the operators.
    public var rules: [EntityKind: EntityRule] { entities.compactMapValues(\.rules.first) }

    /// The rule that applies to `finding` in `context`.
    public func rule(for finding: Finding, in context: ItemContext = ItemContext()) -> EntityRule {
        entities[finding.kind]?.rule(for: finding, in: context) ?? defaultRule
    }

    /// The rule for a type when nothing else is known.
    public func rule(for kind: EntityKind) -> EntityRule { entities[kind]?.rules.first ?? defaultRule }

    /// Every operator an anonymize rule names, with its type (nil: the default rule).
    public var anonymizeOperators: [(kind: EntityKind?, operator: String)] {
        var found: [(EntityKind?, String)] = []
        for (kind, entity) in entities.sorted(by: { $0.key < $1.key }) {
            for rule in entity.rules where rule.action == .anonymize { found.append((kind, rule.operator ?? "replace")) }
        }
        if defaultRule.action == .anonymize { found.append((nil, defaultRule.operator ?? "replace")) }
        return found
    }
}

/// What a policy decided for one item.
public struct Decision: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var finding: Finding
        public var action: PolicyAction
        public var `operator`: String?

        public init(finding: Finding, action: PolicyAction, operator: String? = nil) {
            self.finding = finding
            self.action = action
            self.operator = `operator`
        }
    }

    public var policyVersion: String
    public var policyName: String?
    /// Every finding considered: the detectors' (less allow-listed values) plus the policy's own (site
    /// recognizers, deny lists, default-deny), sorted by start.
    public var findings: [Finding]
    /// The findings acted on (those under their threshold are left out), with their actions.
    public var entries: [Entry]
    /// The item's action: the strictest of the entries'.
    public var action: PolicyAction

    /// Findings that raise an alert event.
    public var alerts: [Finding] { entries.filter { $0.action == .alert }.map(\.finding) }
    /// True when the item must not be output at all.
    public var blocks: Bool { action == .block }
    /// The findings to rewrite, each under its rule's operator.
    public var anonymized: [Entry] { entries.filter { $0.action == .anonymize } }
    /// The findings that must not be readable in a redacted copy: those anonymized and those that block.
    public var withheld: [Finding] { entries.filter { $0.action >= .anonymize }.map(\.finding) }
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
