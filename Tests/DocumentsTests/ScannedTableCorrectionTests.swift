import Core
@testable import Documents
import Testing

@Suite("Lab tables read by OCR")
struct ScannedTableCorrectionTests {
    @Test(arguments: [
        ("bmol/L", "总胆红素(TBIL)", "μmol/L"), ("pmol/L", "肌酐(CREA)", "μmol/L"), ("pmol/L", "游离甲状腺素(FT4)", "pmol/L"),
        ("mmol/L", "尿酸(UA)", "μmol/L"), ("nmol/L", "总胆汁酸(TBA)", "μmol/L"), ("mmol/L", "尿素(UREA)", "mmol/L"),
        ("8人L", nil, "g/L"), ("mmol/儿", nil, "mmol/L"), ("mgIL", nil, "mg/L"), ("UL", nil, "U/L"), ("10A9/L", nil, "10^9/L"),
        ("，10A12/儿", nil, "10^12/L"), ("mmolML", nil, "mmol/L"),
        ("bmoML", nil, "μmol/L"), ("hmoyL", "直接胆红素(DBIL)", "μmol/L"), ("bmoVL", nil, "μmol/L"),
    ] as [(String, String?, String)])
    func misreadUnitsSnapToTheUnitMeant(read: String, item: String?, meant: String) {
        #expect(LabUnits.snap(read, item: item) == meant)
    }

    @Test("Units far from every known one, numbers and single glyphs are left as read")
    func unrecognisableUnitsAreLeftAlone() {
        for text in ["册", "使", "12.5", "vie", "mele", "Slo", ""] { #expect(LabUnits.snap(text, item: nil) == nil, "\(text)") }
    }

    @Test(arguments: [
        ("总胆红素(TBIU)", "总胆红素(TBIL)"), ("肌栈(CREA)", "肌酐(CREA)"), ("氯(CD)", "氯(Cl)"), ("Hemoglobin Alc", "Hemoglobin A1c"),
        ("中性粒细胞百分比(NEUT9%)", "中性粒细胞百分比(NEUT%)"), ("丙氢酸氨基转移酶(ALT)", "丙氨酸氨基转移酶(ALT)"),
    ])
    func misreadItemsSnapToTheListedName(read: String, meant: String) {
        #expect(LabItems.standard.snap(read) == meant)
    }

    @Test("An exact item, an item nowhere near the list, and a misreading as close to two items are left as read")
    func itemsThatAreNotMisreadingsStay() {
        #expect(LabItems.standard.snap("总胆红素(TBIL)") == nil)
        #expect(LabItems.standard.snap("同型半胱氨酸(HCY)") == nil)
        #expect(LabItems.standard.snap("AIT") == nil)   // ALT or AST
    }

    @Test func aReferenceRangeGetsItsDashBackOnlyWhenTheSplitIsUnambiguous() {
        #expect(ReferenceRangeText.repair("137.0.147.0") == "137.0-147.0")
        #expect(ReferenceRangeText.repair("3.50-5.30") == nil)
        #expect(ReferenceRangeText.repair("147.0.137.0") == nil)   // the low end must come first
        #expect(ReferenceRangeText.repair("1.5.10.25") == nil)     // 1.5 and 10.25: the decimals disagree
        #expect(ReferenceRangeText.repair("=. 2.11-2.52") == "2.11-2.52")
    }

    @Test func valuesGetTheirDigitsAndPointsBack() {
        #expect(NumberText.repair("152:5") == "152.5")
        #expect(NumberText.repair("1O.3") == "10.3")
        #expect(NumberText.repair("12.5") == nil && NumberText.repair("阴性") == nil && NumberText.repair("Positive") == nil)
    }

    @Test("A heading one character off a lab heading is that heading; headings that read, and text near none or two, stay",
          arguments: [("结", "结果"), ("单", "单位"), ("提", "提示"), ("Resuit", "Result"), ("Unlt", "Unit"), ("结果", nil), ("参考范", nil),
                      ("参考范围提示", nil), ("姓名", nil), ("", nil)] as [(String, String?)])
    func misreadHeadings(read: String, meant: String?) {
        #expect(LabHeadings.snap(read) == meant)
    }

    @Test("A flag cell read as no flag is set by the row's value and range; flags that read, and rows without numbers, stay",
          arguments: [("上", "12.00", "3.10-8.00", false, "↑"), ("了", "40", "57-111", false, "↓"), ("T", "5.74", "3.50-5.30", true, "H"),
                      ("中", "4.2", "3.50-5.30", false, ""), ("1", "0.3", "<0.5", false, ""), ("↑", "4.2", "3.50-5.30", false, nil),
                      ("H", "4.2", "3.50-5.30", false, nil), ("", "12.00", "3.10-8.00", false, nil), ("上", "阴性", "阴性", false, nil),
                      ("上", "12.00", "", false, nil)] as [(String, String, String, Bool, String?)])
    func unreadableFlags(mark: String, value: String, range: String, letters: Bool, expected: String?) {
        #expect(FlagText.repair(mark, value: value, range: range, letters: letters) == expected)
    }

    @Test("A unit read into the value or range cell moves to the empty unit cell beside it")
    func gluedUnitsMoveOver() {
        #expect(LabUnits.split("170 8人L", item: nil).map { [$0.rest, $0.unit] } == ["170", "g/L"])
        #expect(LabUnits.split("10^12/儿4.30-5.80", item: nil).map { [$0.rest, $0.unit] } == ["4.30-5.80", "10^12/L"])
        #expect(LabUnits.split("3.50-5.30", item: nil) == nil)
    }

    @Test("A lab table loses the specks at its headings and has its unit, item, range and unreadable flag cells corrected; a cell's one span follows its text")
    func aTableIsCorrectedByColumn() {
        func cell(_ text: String) -> Cell { Cell(text: text, spans: [Span(text: text, page: 1, box: Box(x0: 0, y0: 0, x1: 1, y1: 1))]) }
        let table = Table(rows: [["项目", "结果", "“单位", "”参考范围", "提示"].map(cell),
                                 ["肌栈(CREA)", "40", "pmol/L", "57.0.111.0", "↓"].map(cell),
                                 ["钠(Na)", "138.0", "mmol/L", "137.0-147.0", ""].map(cell),
                                 ["钾(K)", "5.74", "mmol/L", "3.50-5.30", "上"].map(cell)], pages: [1], detection: .ruled)
        let corrected = ScannedLabTableCorrection().correct(table)
        #expect(corrected.header == ["项目", "结果", "单位", "参考范围", "提示"])
        #expect(corrected.bodyRows == [["肌酐(CREA)", "40", "μmol/L", "57.0-111.0", "↓"], ["钠(Na)", "138.0", "mmol/L", "137.0-147.0", ""],
                                       ["钾(K)", "5.74", "mmol/L", "3.50-5.30", "↑"]])
        #expect(corrected.rows[1][2].spans.first?.text == "μmol/L")
        let notLab = Table(rows: [["姓名", "住址"].map(cell), ["肌栈", "pmol/L"].map(cell)], pages: [1], detection: .ruled)
        #expect(ScannedLabTableCorrection().correct(notLab) == notLab)
    }
}
