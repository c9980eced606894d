/// Administrative divisions shared by the address and hospital recognizers.
enum Divisions {
    /// Names of three or more characters (two-character names such as 城区 are too ambiguous), plus provinces.
    static let names: [String] = AdministrativeDivisions.entries.filter { $0.unicodeScalars.count >= 3 || $0.hasSuffix("省") }

    /// Positions covered by any division name (`和` in `和平区`).
    static func coveredPositions(in t: ScanText) -> [Bool] {
        var covered = [Bool](repeating: false, count: t.count + 1)
        for hit in t.dictionary[.division] { for k in hit.range { covered[k] = true } }
        return covered
    }
}
