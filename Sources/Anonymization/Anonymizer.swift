public import Core
import Crypto
public import Foundation

/// Everything an anonymization needs besides the text: the key, the patient whose dates shift
/// together, and the table that keeps pseudonyms consistent and unique across a batch.
public struct AnonymizationContext: Sendable {
    public var key: ProjectKey?
    /// The patient identifier for date shifting (a resident ID or MRN found in the item, or given).
    public var patientID: String?
    /// Pseudonyms already handed out, so two different values never share one.
    public var pseudonyms: PseudonymTable

    public init(key: ProjectKey?, patientID: String? = nil, pseudonyms: PseudonymTable = PseudonymTable()) {
        self.key = key
        self.patientID = patientID
        self.pseudonyms = pseudonyms
    }
}

/// Value → pseudonym and back, per kind, for one batch.
public struct PseudonymTable: Sendable {
    private var forward: [String: String] = [:]
    private var used: Set<String> = []

    public init() {}

    /// The real values of the item being rewritten: no surrogate may equal or contain one of them
    /// (a surrogate "Williams Memorial Hospital" must not put a patient's real name "Williams" back).
    private var itemOriginals: Set<String> = []

    /// Starts a new item whose real values surrogates must avoid.
    mutating func beginItem(originals: [String]) { itemOriginals = Set(originals) }

    /// Whether `candidate` equals a real value of the item or contains one of three or more code points.
    /// - Complexity: O(k²) in the candidate's length, whatever the number of real values.
    private func clashesWithItem(_ candidate: String) -> Bool {
        guard !itemOriginals.isEmpty else { return false }
        if itemOriginals.contains(candidate) { return true }
        let scalars = Array(candidate.unicodeScalars)
        guard scalars.count > 3 else { return false }
        for start in 0..<(scalars.count - 2) {
            for end in (start + 3)...scalars.count where end - start < scalars.count {
                if itemOriginals.contains(String(String.UnicodeScalarView(scalars[start..<end]))) { return true }
            }
        }
        return false
    }

    /// The pseudonym already given to `value`, or a new one from `draw` (attempt 0, 1, …) that no other value has.
    mutating func pseudonym(for value: String, kind: EntityKind, draw: (Int) -> String) -> String {
        let key = kind.rawValue + "\u{0}" + value
        if let existing = forward[key] { return existing }
        var attempt = 0
        var candidate = draw(attempt)
        while used.contains(kind.rawValue + "\u{0}" + candidate) || candidate == value || clashesWithItem(candidate) {
            attempt += 1
            // Surrogate spaces are finite; past this many draws, number the surrogate so the loop always ends.
            candidate = attempt < 100 ? draw(attempt) : draw(attempt) + " \(attempt)"
        }
        forward[key] = candidate
        used.insert(kind.rawValue + "\u{0}" + candidate)
        return candidate
    }
}

/// The result of anonymizing one text.
public struct AnonymizedText: Sendable {
    public var text: String
    /// Where each finding's replacement sits in the output (code points), in input order.
    public var replacements: [(kind: EntityKind, range: Range<Int>, operator: String)]
}

/// Applies an `OperatorPlan` to the findings of a text.
///
/// - Important: Values pass through memory only; nothing is logged.
public struct Anonymizer: Sendable {
    public var plan: OperatorPlan

    public init(plan: OperatorPlan) { self.plan = plan }

    /// Token delimiters for encrypted values, recognised by `restore`: `{{ENC:KIND:KEYID:BASE64URL}}`, the key id
    /// naming the ring's key that sealed it (tokens written before key ids, `{{ENC:KIND:BASE64URL}}`, still open).
    public static let encryptedPrefix = "{{ENC:"
    public static let encryptedSuffix = "}}"

    /// - Parameter operators: per-finding operators that take precedence over the plan (a policy's conditional
    ///   rules can give two findings of one type different operators).
    /// - Throws: `OperatorError` when an operator needs the key and none is given.
    public func anonymize(_ text: String, findings: [Finding], operators: [Finding: OperatorSpec] = [:],
                          context: inout AnonymizationContext) throws(OperatorError) -> AnonymizedText {
        let scalars = Array(text.unicodeScalars)
        if plan.perKind.values.contains(.pseudonymize) || plan.fallback == .pseudonymize || operators.values.contains(.pseudonymize) {
            context.pseudonyms.beginItem(originals: findings.filter { $0.end <= scalars.count }.map {
                String(String.UnicodeScalarView(scalars[$0.range]))
            })
        }
        var output = String.UnicodeScalarView()
        var replacements: [(EntityKind, Range<Int>, String)] = []
        var cursor = 0
        var outLength = 0
        for finding in findings.sorted(by: { $0.start < $1.start }) where finding.start >= cursor && finding.end <= scalars.count {
            output.append(contentsOf: scalars[cursor..<finding.start])
            outLength += finding.start - cursor
            let value = String(String.UnicodeScalarView(scalars[finding.range]))
            let spec = operators[finding] ?? plan.spec(for: finding.kind)
            let replacement = try apply(spec, to: value, kind: finding.kind, context: &context)
            let replacementScalars = replacement.unicodeScalars
            output.append(contentsOf: replacementScalars)
            replacements.append((finding.kind, outLength..<(outLength + replacementScalars.count), spec.description))
            outLength += replacementScalars.count
            cursor = finding.end
        }
        output.append(contentsOf: scalars[cursor...])
        return AnonymizedText(text: String(output), replacements: replacements)
    }

    func apply(_ spec: OperatorSpec, to value: String, kind: EntityKind, context: inout AnonymizationContext) throws(OperatorError) -> String {
        switch spec {
        case .mask(let character, let keepLast):
            let chars = Array(value)
            return String(chars.enumerated().map { index, c in
                c.isWhitespace || index >= chars.count - keepLast ? c : character
            })
        case .redact:
            return ""
        case .replace(let text):
            return text ?? "[\(kind.rawValue)]"
        case .hash:
            let key = try requireKey(context, spec)
            let digest = key.mac(kind.rawValue + ":" + value, purpose: .hash)
            return "[\(kind.rawValue):\(digest.prefix(8).map { String(format: "%02x", $0) }.joined())]"
        case .encrypt:
            let key = try requireKey(context, spec)
            do {
                let sealed = try AES.GCM.seal(Data(value.utf8), using: key.subkey(for: .encrypt), authenticating: Data(kind.rawValue.utf8))
                guard let combined = sealed.combined else { throw OperatorError("AES-GCM produced no output.") }
                return Self.encryptedPrefix + kind.rawValue + ":" + key.id + ":" + Base64URL.encode(combined) + Self.encryptedSuffix
            } catch let error as OperatorError {
                throw error
            } catch {
                throw OperatorError("Encryption failed for a \(kind.rawValue) value.")
            }
        case .pseudonymize:
            if kind == .date { return try apply(.dateShift, to: value, kind: kind, context: &context) }
            let key = try requireKey(context, spec)
            let surrogates = Surrogates(key: key.subkey(for: .pseudonym))
            return context.pseudonyms.pseudonym(for: value, kind: kind) { surrogates.surrogate(for: value, kind: kind, attempt: $0) }
        case .dateShift:
            let key = try requireKey(context, spec)
            let days = DateShift.offset(key: key, patientID: context.patientID ?? "")
            return DateShifter.shift(value, byDays: days) ?? "[\(kind.rawValue)]"
        case .yearOnly:
            guard let year = DateShifter.year(of: value) else { return "[\(kind.rawValue)]" }
            return value.contains("年") ? "\(year)年" : String(year)
        case .ageCap(let limit):
            return Self.capAge(value, above: limit)
        }
    }

    /// The first number in `value` replaced by `<limit+1>+` when it is above `limit`; the words around it stay.
    static func capAge(_ value: String, above limit: Int) -> String {
        let scalars = Array(value.unicodeScalars)
        guard let start = scalars.firstIndex(where: { ("0"..."9").contains($0) }) else { return value }
        let end = scalars[start...].firstIndex(where: { !("0"..."9").contains($0) }) ?? scalars.count
        guard let age = Int(String(String.UnicodeScalarView(scalars[start..<end]))), age > limit else { return value }
        return String(String.UnicodeScalarView(scalars[..<start])) + "\(limit + 1)+" + String(String.UnicodeScalarView(scalars[end...]))
    }

    private func requireKey(_ context: AnonymizationContext, _ spec: OperatorSpec) throws(OperatorError) -> ProjectKey {
        guard let key = context.key else {
            throw OperatorError("The \(spec) operator needs the project key. Create one with `medlocal keygen` or pass --key-file.")
        }
        return key
    }
}

/// The per-patient date offset.
public enum DateShift {
    /// Days in −1095…−366 ∪ 366…1095 (one to three years either way), derived from the key and the patient
    /// identifier. Never less than a year: a record's dates are usually days to months apart, and a shift equal to
    /// such an interval would turn one real date of the patient into another real date of theirs.
    public static func offset(key: ProjectKey, patientID: String) -> Int {
        let mac = key.mac(patientID, purpose: .dateShift)
        let n = mac.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        let magnitude = 366 + n % 730
        return mac[4] & 1 == 0 ? -magnitude : magnitude
    }
}

/// URL-safe base64 without padding.
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
