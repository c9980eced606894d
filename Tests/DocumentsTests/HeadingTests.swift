@testable import Documents
import Testing

@Suite("Heading detection")
struct HeadingTests {
    /// Lays out one candidate line among body text set in 10.5 pt and says whether it became a heading.
    private func isHeading(_ text: String, size: Double, bold: Bool) -> Bool {
        var page = SyntheticPage()
        for row in 0..<6 {
            page.text("患者入院后完善相关检查，予以对症支持治疗，病情平稳后出院。", x: 56, y: 100 + Double(row) * 15, size: 10.5)
        }
        page.text(text, x: 56, y: 200, size: size, bold: bold)
        page.text("随访期间无不适。", x: 56, y: 225, size: 10.5)
        return layout([page]).blocks.contains { $0.kind == .heading && $0.text == text }
    }

    @Test("Lines that are headings", arguments: [
        ("出院诊断", 13.0, false), ("一、基本信息", 10.5, false), ("【主诉】", 10.5, false), ("(三) 现病史", 10.5, false),
        ("Discharge Diagnoses", 10.5, true), ("既往史", 10.5, false), ("PHYSICAL EXAMINATION", 10.5, false),
        ("影像学检查", 11.5, false), ("1.1 Laboratory Data", 12.5, true),
    ])
    func headings(text: String, size: Double, bold: Bool) {
        #expect(isHeading(text, size: size, bold: bold))
    }

    @Test("Lines that are not headings", arguments: [
        ("1. 急性结石性胆囊炎", 10.5, false), ("姓名：张三", 13.0, false), ("患者无发热。", 13.0, false),
        ("MELD = 3.78×ln(TBil)", 13.0, true), ("随访", 10.5, false), ("诊断意见如下", 9.0, false),
        ("This sentence ends with a period.", 12.5, true),
    ])
    func notHeadings(text: String, size: Double, bold: Bool) {
        #expect(!isHeading(text, size: size, bold: bold))
    }
}
