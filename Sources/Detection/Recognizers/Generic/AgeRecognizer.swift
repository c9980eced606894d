public import Core

/// Age units after a number: `岁`, `-year-old`, `years old`, `y/o`, `yo`, `y`.
enum AgePattern {
    private static let unitTexts = [
        "-year-old", "-years-old", " year-old", " years-old", " year old", " years old", "-yr-old", " yr old",
        " y/o", "y/o", " y.o.", "y.o.", " yo", "yo", " yrs", "yrs", "y", "岁", " 岁", "周岁",
    ]
    private static let units = unitTexts.map { [UInt32](literal: $0) }
    /// Each unit's explanation, written once rather than per finding.
    static let patterns = unitTexts.map { "number + '\($0.trimmingSpaces())'" }
    static let bareY = unitTexts.firstIndex(of: "y")!

    /// The end of an age unit starting at `i`, or nil.
    static func unitEnd(_ t: ScanText, at i: Int) -> Int? { unit(t, at: i)?.end }

    /// The age unit starting at `i`: its end and its index in `patterns`.
    static func unit(_ t: ScanText, at i: Int) -> (end: Int, index: Int)? {
        // Every unit starts with '-', ' ', 'y', '岁' or '周' (after an optional space): rule out the rest cheaply.
        let c = t[i], next = c == 0x20 ? t[i + 1] : c
        guard c == 0x2D || next == 0x79 || next == 0x59 || next == 0x5C81 || next == 0x5468 else { return nil }
        for (index, unit) in units.enumerated() where t.hasPrefix(unit, at: i, caseInsensitive: true) {
            let end = i + unit.count
            if CharClass.isLetter(unit.last!) && CharClass.isLetter(t[end]) { continue }
            if unit.last == 0x2E || !CharClass.isLetter(unit.last!) || !CharClass.isAlnum(t[end]) { return (end, index) }
        }
        return nil
    }
}

/// Ages with a unit: `67岁`, `67-year-old`, `67 y/o`, `62y`.
public struct AgeRecognizer: Recognizer {
    public let name = "age-with-unit"
    public let kinds: Set<EntityKind> = [.age]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        for run in t.digitRunStarts {
            let i = Int(run)
            var j = i
            while CharClass.isDigit(t[j]), j - i <= 3 { j += 1 }
            let prev = t[i - 1]
            guard j - i <= 3, !CharClass.isAlnum(prev), prev != 0x2E, prev != 0x2D || !CharClass.isDigit(t[i - 2]) else { continue }
            guard let value = DateParser.number(in: t, at: i, maxDigits: 3), value.value <= 130,
                  let unit = AgePattern.unit(t, at: j) else { continue }
            candidates.append(Candidate(
                kind: .age, range: i..<unit.end, score: unit.index == AgePattern.bareY && t[j] == 0x79 ? 0.7 : 0.85,  // a bare lower-case `y` is the weakest unit
                explanation: Explanation(recognizer: name, pattern: AgePattern.patterns[unit.index])))
        }
    }
}
