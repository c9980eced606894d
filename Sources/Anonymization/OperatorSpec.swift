public import Core

/// How one kind of finding is rewritten.
public enum OperatorSpec: Sendable, Hashable, CustomStringConvertible {
    /// Keep the length; replace each non-space character with `character`, keeping the last `keepLast`.
    case mask(character: Character, keepLast: Int)
    /// Remove the value.
    case redact
    /// Replace with a fixed string; nil means `[KIND]`.
    case replace(String?)
    /// HMAC-SHA256 with the project key, truncated: `[PERSON:3fa9c2d1e0b4a7c6]`.
    case hash
    /// AES-GCM with the project key, reversible with `medlocal restore`.
    case encrypt
    /// A consistent, realistic surrogate of the same shape.
    case pseudonymize
    /// Shift by the patient's keyed offset, keeping the format.
    case dateShift
    /// Keep only the year of a date (`2019年11月13日` → `2019年`): HIPAA Safe Harbor's rule for dates.
    case yearOnly
    /// Ages above `limit` become one category (`92岁` → `90+岁`, HIPAA: over 89); lower ages are kept.
    case ageCap(limit: Int)

    public static let defaultMask = OperatorSpec.mask(character: "*", keepLast: 0)

    /// Every operator's name, as the command line and policies spell them.
    public static let names = ["mask", "redact", "replace", "hash", "encrypt", "pseudonymize", "date-shift", "year-only", "age-cap"]

    /// Parses `mask`, `mask:#`, `mask:*:4`, `redact`, `replace`, `replace:<text>`, `hash`, `encrypt`,
    /// `pseudonymize`, `date-shift`.
    public init(parsing text: String) throws(OperatorError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let argument = parts.count > 1 ? parts[1] : nil
        switch parts[0].lowercased() {
        case "mask":
            guard let argument else { self = .defaultMask; return }
            let pieces = argument.split(separator: ":", omittingEmptySubsequences: false)
            guard let char = pieces.first?.first, pieces.first?.count == 1 else {
                throw OperatorError("mask takes one character, e.g. mask:# or mask:*:4 (keep the last 4).")
            }
            var keep = 0
            if pieces.count > 1 {
                guard let n = Int(pieces[1]), n >= 0 else { throw OperatorError("mask:<char>:<keep-last> needs a number, e.g. mask:*:4.") }
                keep = n
            }
            self = .mask(character: char, keepLast: keep)
        case "redact": self = .redact
        case "replace": self = .replace(argument)
        case "hash": self = .hash
        case "encrypt": self = .encrypt
        case "pseudonymize", "pseudonymise", "pseudonym": self = .pseudonymize
        case "date-shift", "dateshift", "shift": self = .dateShift
        case "year-only", "year": self = .yearOnly
        case "age-cap":
            guard let argument else { self = .ageCap(limit: 89); return }
            guard let limit = Int(argument), limit > 0 else { throw OperatorError("age-cap:<limit> needs a whole number of years, e.g. age-cap:89.") }
            self = .ageCap(limit: limit)
        default:
            throw OperatorError("Unknown operator '\(parts[0])'. Use one of: \(Self.names.joined(separator: ", ")).")
        }
    }

    public var description: String {
        switch self {
        case .mask(let c, let keep): keep > 0 ? "mask:\(c):\(keep)" : "mask:\(c)"
        case .redact: "redact"
        case .replace(let s): s.map { "replace:\($0)" } ?? "replace"
        case .hash: "hash"
        case .encrypt: "encrypt"
        case .pseudonymize: "pseudonymize"
        case .dateShift: "date-shift"
        case .yearOnly: "year-only"
        case .ageCap(let limit): limit == 89 ? "age-cap" : "age-cap:\(limit)"
        }
    }

    /// Whether the operator needs the project key.
    public var needsKey: Bool {
        switch self {
        case .hash, .encrypt, .pseudonymize, .dateShift: true
        case .mask, .redact, .replace, .yearOnly, .ageCap: false
        }
    }
}

/// An operator that cannot be parsed or applied.
public struct OperatorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Which operator each kind gets, with a default for the rest.
public struct OperatorPlan: Sendable, Hashable {
    public var perKind: [EntityKind: OperatorSpec]
    public var fallback: OperatorSpec

    public init(perKind: [EntityKind: OperatorSpec] = [:], fallback: OperatorSpec = .replace(nil)) {
        self.perKind = perKind
        self.fallback = fallback
    }

    public func spec(for kind: EntityKind) -> OperatorSpec { perKind[kind] ?? fallback }

    /// Parses command-line assignments: `PERSON=pseudonymize`, `DATE=date-shift`, `default=mask`.
    public init(assignments: [String]) throws(OperatorError) {
        self.init()
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw OperatorError("--operator takes TYPE=OPERATOR (e.g. PERSON=pseudonymize or default=mask); got '\(assignment)'.")
            }
            let kind = assignment[..<eq].trimmingWhitespace().uppercased()
            let spec = try OperatorSpec(parsing: String(assignment[assignment.index(after: eq)...]).trimmingWhitespace())
            if kind == "DEFAULT" { fallback = spec } else { perKind[EntityKind(kind)] = spec }
        }
    }

    public var needsKey: Bool { fallback.needsKey || perKind.values.contains { $0.needsKey } }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
