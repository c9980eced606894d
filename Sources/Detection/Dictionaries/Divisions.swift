/// The administrative-division automaton shared by the address and hospital recognizers.
enum Divisions {
    /// Names of three or more characters (two-character names such as 城区 are too ambiguous), plus provinces.
    static let automaton: AhoCorasick<Int> = {
        let names = AdministrativeDivisions.entries.filter { $0.unicodeScalars.count >= 3 || $0.hasSuffix("省") }
        return AhoCorasick(names.map { ([UInt32](literal: $0), $0.unicodeScalars.count) })
    }()

    /// Positions covered by any division name (`和` in `和平区`).
    static func coveredPositions(in t: ScanText) -> [Bool] {
        var covered = [Bool](repeating: false, count: t.count + 1)
        var state = 0
        for i in 0..<t.count {
            let c = t.chars[i]
            guard CharClass.isHan(c) else { state = 0; continue }
            state = automaton.step(state, c)
            guard automaton.hasMatch(at: state) else { continue }
            for m in automaton.matches(at: state) { for k in (i + 1 - m.length)...i { covered[k] = true } }
        }
        return covered
    }
}
