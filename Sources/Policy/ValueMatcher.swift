public import Foundation

/// An allow- or deny-list entry: an exact value, or a regular expression written `/…/` (matched against the whole
/// value for allow lists, searched in the text for deny lists).
public struct ValueMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case exact(String)
        case pattern(String)
    }

    public let kind: Kind
    private let regex: CompiledPattern?

    /// - Throws: ``ValueMatcher/PatternError`` for a regex that does not compile.
    public init(_ text: String) throws(PatternError) {
        if text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            let pattern = String(text.dropFirst().dropLast())
            kind = .pattern(pattern)
            regex = try CompiledPattern(pattern)
        } else {
            kind = .exact(text)
            regex = nil
        }
    }

    public var description: String {
        switch kind {
        case .exact(let value): value
        case .pattern(let pattern): "/\(pattern)/"
        }
    }

    /// Whether `value` (a finding's text) is this entry.
    public func matches(_ value: String) -> Bool {
        switch kind {
        case .exact(let exact): value == exact
        case .pattern: regex?.matchesWhole(value) ?? false
        }
    }

    /// Code-point ranges of this entry in `text`.
    public func ranges(in text: String) -> [Range<Int>] {
        switch kind {
        case .exact(let exact): text.codePointRanges(of: exact)
        case .pattern: regex?.ranges(in: text) ?? []
        }
    }

    public static func == (lhs: ValueMatcher, rhs: ValueMatcher) -> Bool { lhs.kind == rhs.kind }

    public struct PatternError: Error, Sendable {
        public var pattern: String
    }
}

/// An `NSRegularExpression`, which is immutable and safe to share between threads once built.
struct CompiledPattern: @unchecked Sendable {
    let expression: NSRegularExpression

    init(_ pattern: String) throws(ValueMatcher.PatternError) {
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ValueMatcher.PatternError(pattern: pattern)
        }
    }

    func matchesWhole(_ value: String) -> Bool {
        let range = NSRange(value.startIndex..., in: value)
        return expression.firstMatch(in: value, options: [.anchored], range: range).map { $0.range == range } ?? false
    }

    /// Matches as code-point ranges (NSRegularExpression counts UTF-16 units; the contract counts code points).
    func ranges(in text: String) -> [Range<Int>] {
        let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return [] }
        let utf16 = Array(text.utf16)
        var codePointAt = [Int](repeating: 0, count: utf16.count + 1)
        var codePoints = 0
        for (index, unit) in utf16.enumerated() {
            codePointAt[index] = codePoints
            if !UTF16.isLeadSurrogate(unit) { codePoints += 1 }
        }
        codePointAt[utf16.count] = codePoints
        return matches.compactMap { match in
            guard match.range.length > 0 else { return nil }
            return codePointAt[match.range.location]..<codePointAt[match.range.location + match.range.length]
        }
    }
}

extension String {
    /// Code-point ranges of every non-overlapping occurrence of `needle`.
    func codePointRanges(of needle: String) -> [Range<Int>] {
        let hay = Array(unicodeScalars), pin = Array(needle.unicodeScalars)
        guard !pin.isEmpty, pin.count <= hay.count else { return [] }
        var found: [Range<Int>] = []
        var index = 0
        while index <= hay.count - pin.count {
            if hay[index] == pin[0], Array(hay[index..<(index + pin.count)]) == pin {
                found.append(index..<(index + pin.count))
                index += pin.count
            } else {
                index += 1
            }
        }
        return found
    }

    func slice(codePoints range: Range<Int>) -> String {
        let scalars = unicodeScalars
        let start = scalars.index(scalars.startIndex, offsetBy: range.lowerBound)
        let end = scalars.index(start, offsetBy: range.count)
        return String(scalars[start..<end])
    }
}
