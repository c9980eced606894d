@testable import Documents
import Testing

@Suite("Lab rows")
struct LabResultTests {
    private func row(_ cells: [String], header: [String] = ["项目", "结果", "单位", "参考范围", "提示"]) -> LabResult? {
        let table = Table(rows: [header.map { Cell(text: $0) }, cells.map { Cell(text: $0) }], pages: [1], detection: .aligned)
        return LabTableNormalizer().results(of: table, page: 1).first
    }

    @Test("Item and code are split; value, unit and range are parsed")
    func basic() throws {
        let result = try #require(row(["白细胞计数(WBC)", "6.59", "10^9/L", "3.50-9.50", ""]))
        #expect(result.item == "白细胞计数")
        #expect(result.code == "WBC")
        #expect(result.numericValue == 6.59)
        #expect(result.unit == "10^9/L")
        #expect(result.referenceRange == ReferenceRange(low: 3.5, high: 9.5, text: "3.50-9.50"))
        #expect(result.flag == nil)
    }

    @Test("Values read as numbers with comparators and exponents, or stay text", arguments: [
        ("<0.5", 0.5, "<"), ("1.2e3", 1200, nil), ("≥60", 60, ">="), ("１２．５", 12.5, nil), ("-3.5", -3.5, nil),
    ] as [(String, Double, String?)])
    func values(text: String, number: Double, comparator: String?) throws {
        let result = try #require(row(["项", text, "", "", ""]))
        #expect(result.numericValue == number)
        #expect(result.comparator == comparator)
    }

    @Test("Qualitative values keep their text and no number")
    func qualitative() throws {
        let result = try #require(row(["尿蛋白(PRO)", "阴性", "", "阴性", ""]))
        #expect(result.numericValue == nil)
        #expect(result.value == "阴性")
        #expect(result.referenceRange?.text == "阴性")
        #expect(result.referenceRange?.low == nil)
    }

    @Test("Printed flags are normalised", arguments: [("↑", "H"), ("↓", "L"), ("H", "H"), ("L", "L"), ("高", "H"), ("*", "A")])
    func printedFlags(printed: String, flag: String) throws {
        #expect(try #require(row(["项", "1", "", "", printed])).flag == flag)
    }

    @Test("Without a printed flag it is computed from the range")
    func computedFlags() throws {
        let high = try #require(row(["肌酐(CREA)", "145", "μmol/L", "57-111", ""]))
        #expect(high.flag == "H" && high.flagComputed)
        let low = try #require(row(["钙(Ca)", "1.96", "mmol/L", "2.11～2.52", ""]))
        #expect(low.flag == "L")
        let bounded = try #require(row(["CRP", "12", "mg/L", "<10", ""]))
        #expect(bounded.referenceRange?.high == 10 && bounded.flag == "H")
    }

    @Test("English headers are recognised; tables without item and value columns are not lab tables")
    func headers() {
        #expect(row(["Glucose", "4.91", "mmol/L", "3.90-6.10", ""], header: ["Test", "Result", "Units", "Reference Range", "Flag"])?.unit == "mmol/L")
        #expect(row(["a", "b"], header: ["日期", "药品"]) == nil)
    }
}
