@testable import Documents
import Foundation
import Testing

@Suite("PDF layout")
struct LayoutTests {
    @Test("An aligned table becomes a pipe table with its header and an empty flag cell kept")
    func alignedTable() {
        var page = SyntheticPage()
        page.text("检验结果", x: 56, y: 100, size: 14, bold: true)
        page.row(zip(["项目", "结果", "单位", "参考范围", "提示"], labColumns).map { ($0, $1) }, y: 130)
        page.row(zip(["白细胞计数(WBC)", "6.59", "10^9/L", "3.50-9.50", ""], labColumns).map { ($0, $1) }, y: 146)
        page.row(zip(["淀粉酶(AMY)", "15", "U/L", "35-135", "↓"], labColumns).map { ($0, $1) }, y: 162)
        let document = layout([page])
        #expect(document.tables.count == 1)
        #expect(document.tables.first?.header == ["项目", "结果", "单位", "参考范围", "提示"])
        #expect(document.tables.first?.rows == [["白细胞计数(WBC)", "6.59", "10^9/L", "3.50-9.50", ""], ["淀粉酶(AMY)", "15", "U/L", "35-135", "↓"]])
        #expect(MarkdownRenderer().render(document).contains("| 白细胞计数(WBC) | 6.59 | 10^9/L | 3.50-9.50 |  |"))
        #expect(document.labResults.map(\.flag) == [nil, "L"])
    }

    @Test("A ruled table's merged header cell spans the columns its row has no rule between")
    func mergedRuledCells() throws {
        var page = SyntheticPage()
        let xs = [50.0, 150, 220, 290, 360]
        let rows: [(cells: [(String, Double)], rules: [Double])] = [
            ([("项目", 54), ("结果与单位", 154), ("参考范围", 294)], [50, 150, 290, 360]),
            ([("白细胞计数", 54), ("6.5", 154), ("10^9/L", 224), ("3.5-9.5", 294)], xs),
            ([("血红蛋白", 54), ("130", 154), ("g/L", 224), ("130-175", 294)], xs),
        ]
        page.ruledTable(rows)
        let table = try #require(layout([page]).blocks.first { $0.kind == .table }?.table)
        #expect(table.detection == .ruled)
        #expect(table.rows[0].map(\.columnSpan) == [1, 2, 1])
        #expect(table.rows[1].map(\.text) == ["白细胞计数", "6.5", "10^9/L", "3.5-9.5"])
        #expect(table.header == ["项目", "结果与单位", "", "参考范围"])
        #expect(MarkdownRenderer().render(layout([page])).contains("<th colspan=\"2\">结果与单位</th>"))
    }

    @Test("On a scan, a ruled row missing a rule (a broken stroke) keeps its cells unless text runs across it")
    func ruleMissedInOneRow() throws {
        var page = SyntheticPage()
        let xs = [50.0, 150, 220, 290, 360]
        let rows: [(cells: [(String, Double)], rules: [Double])] = [
            ([("项目", 54), ("结果", 154), ("单位", 224), ("参考范围", 294)], xs),
            ([("白细胞计数", 54), ("6.5", 154), ("10^9/L", 224), ("3.5-9.5", 294)], xs),
            ([("肌钙蛋白I", 54), ("0.008", 154), ("ng/mL", 224), ("0.000-0.040", 294)], [50, 150, 220, 360]),
            ([("钾(K)", 54), ("3.10", 154), ("mmol/L", 224)], [50, 150, 220, 360]),
            // The stroke at 290 read as a bar, joining the unit and the range into one piece of text.
            ([("钠(Na)", 54), ("147.6", 154), ("mmol/L | 137.0-147.0", 255)], [50, 150, 220, 360]),
            ([("备注", 54), ("标本轻度溶血，结果仅供参考，请结合临床", 154)], [50, 150, 360]),
        ]
        page.ruledTable(rows)
        let scanned = ScannedPage(raw: page.raw, layer: OCRLayerPage(number: 1, width: 1240, height: 1754, resolution: 150,
                                                                     rotation: 0, skew: 0, lines: []))
        let document = PDFDocumentReader(backend: NoBackend()).layout(scanned: [scanned], source: .image).document
        let table = try #require(document.blocks.first { $0.kind == .table }?.table)
        #expect(table.rows[2].map(\.text) == ["肌钙蛋白I", "0.008", "ng/mL", "0.000-0.040"])
        #expect(table.rows[3].map(\.columnSpan) == [1, 1, 1, 1])
        #expect(table.rows[4].map(\.text) == ["钠(Na)", "147.6", "mmol/L", "137.0-147.0"])
        // Text running across the missing rules is one cell spanning them.
        #expect(table.rows[5].map(\.columnSpan) == [1, 3])
        // A PDF's own rules are exact: the same rows drawn by a PDF are merged cells.
        let drawn = try #require(layout([page]).blocks.first { $0.kind == .table }?.table)
        #expect(drawn.rows[2].map(\.columnSpan) == [1, 1, 2])
    }

    @Test("Two tables side by side with a repeated header are two tables, left one first")
    func sideBySide() {
        var page = SyntheticPage()
        let left = [40.0, 110, 150, 190], right = [320.0, 390, 430, 470]
        page.row(zip(["项目", "结果", "单位", "参考范围"] + ["项目", "结果", "单位", "参考范围"], left + right).map { ($0, $1) }, y: 100)
        page.row(zip(["尿素(UREA)", "4.05", "mmol/L", "3.1-8.0", "钾(K)", "4.83", "mmol/L", "3.5-5.3"], left + right).map { ($0, $1) }, y: 116)
        page.row(zip(["肌酐(CREA)", "90", "μmol/L", "57-111", "钠(Na)", "145", "mmol/L", "137-147"], left + right).map { ($0, $1) }, y: 132)
        let document = layout([page])
        #expect(document.tables.count == 2)
        #expect(document.tables.map { $0.rows.map(\.first) } == [["尿素(UREA)", "肌酐(CREA)"], ["钾(K)", "钠(Na)"]])
    }

    @Test("A header repeated with a stray mark on one copy (OCR) still splits two tables side by side")
    func sideBySideWithStrayMark() {
        var page = SyntheticPage()
        let left = [40.0, 120, 160, 200, 260], right = [330.0, 410, 450, 490, 550]
        page.row(zip(["Test", "Result", "Units.", "Reference Range", "Flag", "Test", "Result", "Units", "Reference Range", "Flag"],
                      left + right).map { ($0, $1) }, y: 100)
        page.row(zip(["White cells", "5.55", "10^9/L", "3.50-9.50", "Hemoglobin", "155", "g/L", "130-175"],
                      [40.0, 120, 160, 200, 330, 410, 450, 490]).map { ($0, $1) }, y: 116)
        page.row(zip(["Eosinophils %", "10.1", "%", "0.4-8.0", "H", "MPV", "6.1", "fL", "7.4-12.5", "L"], left + right).map { ($0, $1) }, y: 132)
        let document = layout([page])
        #expect(document.tables.count == 2)
        #expect(document.tables.map { $0.rows.map(\.first) } == [["White cells", "Eosinophils %"], ["Hemoglobin", "MPV"]])
    }

    @Test("A table flowing on into the right half without its header is one table, rows in reading order")
    func flowingTable() {
        var page = SyntheticPage()
        let left = [56.0, 150, 190, 230], right = [320.0, 414, 454, 494]
        page.row(zip(["项目", "结果", "单位", "参考范围"] + ["钾(K)", "4.83", "mmol/L", "3.5-5.3"], left + right).map { ($0, $1) }, y: 100)
        page.row(zip(["尿素(UREA)", "4.05", "mmol/L", "3.1-8.0", "钠(Na)", "145", "mmol/L", "137-147"], left + right).map { ($0, $1) }, y: 116)
        page.row(zip(["肌酐(CREA)", "90", "μmol/L", "57-111", "氯(Cl)", "99", "mmol/L", "99-110"], left + right).map { ($0, $1) }, y: 132)
        let document = layout([page])
        #expect(document.tables.count == 1)
        #expect(document.tables.first?.header == ["项目", "结果", "单位", "参考范围"])
        #expect(document.tables.first?.rows.map(\.first) == ["尿素(UREA)", "肌酐(CREA)", "钾(K)", "钠(Na)", "氯(Cl)"])
    }

    @Test("Evenly spaced columns of one table are not taken for two halves")
    func evenColumns() {
        var page = SyntheticPage()
        let xs = [56.0, 136, 216, 296, 376, 456]
        page.row(zip(["Test", "Result", "Units", "Low", "High", "Flag"], xs).map { ($0, $1) }, y: 100)
        page.row(zip(["Glucose", "4.91", "mmol/L", "3.90", "6.10", ""], xs).map { ($0, $1) }, y: 116)
        page.row(zip(["HbA1c", "7.2", "%", "4.0", "6.0", "H"], xs).map { ($0, $1) }, y: 132)
        #expect(layout([page]).tables.first?.header.count == 6)
    }

    @Test("A field grid is text, not a table, and a cell's wrapped text joins its cell")
    func fieldGrid() {
        var page = SyntheticPage()
        page.row([("姓名：田霞", 56), ("性别：女", 250), ("年龄：24岁", 420)], y: 100)
        page.row([("身份证号：360501200507303660", 56), ("电话：14532648890", 250), ("住址：上海市浔阳", 420)], y: 114)
        page.row([("宜都路K座", 420)], y: 126)
        let document = layout([page])
        #expect(document.tables.isEmpty)
        let text = MarkdownRenderer().render(document)
        #expect(text.contains("姓名：田霞  性别：女  年龄：24岁"))
        #expect(text.contains("住址：上海市浔阳宜都路K座"))
    }

    @Test("A wrapped cell in a later column continues its row")
    func wrappedCell() {
        var page = SyntheticPage()
        page.row(zip(["Test", "Result", "Units", "Reference", "Flag"], labColumns).map { ($0, $1) }, y: 100)
        page.row(zip(["Glucose", "4.91", "mmol/L", "3.90-6.10", ""], labColumns).map { ($0, $1) }, y: 114)
        page.row([("fasting", 330)], y: 125)
        page.row(zip(["HbA1c", "7.2", "%", "4.0-6.0", "H"], labColumns).map { ($0, $1) }, y: 140)
        let table = layout([page]).tables.first
        #expect(table?.rows.count == 2)
        #expect(table?.rows.first?[3] == "3.90-6.10 fasting")
    }

    @Test("Cells wrapped onto tight lines, the header's too, stay in their row")
    func wrappedFirstColumn() throws {
        var page = SyntheticPage()
        let xs = [56.0, 150, 210, 280, 360]
        page.row(zip(["Test", "Result", "Units", "Reference", "Flag"], xs).map { ($0, $1) }, y: 100)
        page.row([("Range", 280)], y: 113.5)
        page.row(zip(["White blood", "5.55", "10^9/L", "3.50-9.50"], xs).map { ($0, $1) }, y: 137)
        page.row([("cells", 56)], y: 150.5)
        page.row(zip(["Eosinophils", "10.1", "%", "0.4-8.0", "H"], xs).map { ($0, $1) }, y: 174)
        page.row([("%", 56)], y: 187.5)
        let table = try #require(layout([page]).tables.first)
        #expect(table.header == ["Test", "Result", "Units", "Reference Range", "Flag"])
        #expect(table.rows.map(\.first) == ["White blood cells", "Eosinophils %"])
    }

    @Test("A header printed again starts a second table")
    func repeatedHeader() {
        var page = SyntheticPage()
        let header = zip(["项目", "结果", "单位", "参考范围", "提示"], labColumns).map { ($0, $1) }
        page.row(header, y: 100)
        page.row(zip(["钾(K)", "4.57", "mmol/L", "3.50-5.30", ""], labColumns).map { ($0, $1) }, y: 116)
        page.row(header, y: 132)
        page.row(zip(["钠(Na)", "143.2", "mmol/L", "137-147", ""], labColumns).map { ($0, $1) }, y: 148)
        #expect(layout([page]).tables.map(\.rows.count) == [1, 1])
    }

    @Test("A ruled row the page break cut is completed on the next page")
    func rowCutByPageBreak() {
        var first = SyntheticPage(number: 1), second = SyntheticPage(number: 2)
        let xs = [50.0, 170, 230, 300, 380, 430]
        func grid(_ page: inout SyntheticPage, top: Double, bottom: Double) {
            for x in xs { page.rule(Box(x0: x, y0: top, x1: x, y1: bottom)) }
        }
        first.row(zip(["项目", "结果", "单位", "参考范围", "提示"], xs.map { $0 + 4 }).map { ($0, $1) }, y: 700)
        first.row(zip(["总蛋白(TP)", "79.1", "g/L", "65.0-85.0", ""], xs.map { $0 + 4 }).map { ($0, $1) }, y: 716)
        first.row(zip(["高密度脂蛋白胆固醇(HDL-", "1.72", "mmol/L", "1.04-1.55", "↑"], xs.map { $0 + 4 }).map { ($0, $1) }, y: 732)
        for y in [698.0, 714, 730, 746] { first.rule(Box(x0: 50, y0: y, x1: 430, y1: y)) }
        grid(&first, top: 698, bottom: 746)
        second.row([("C)", 54)], y: 60)
        second.row(zip(["钾(K)", "4.57", "mmol/L", "3.50-5.30", ""], xs.map { $0 + 4 }).map { ($0, $1) }, y: 76)
        for y in [58.0, 74, 90] { second.rule(Box(x0: 50, y0: y, x1: 430, y1: y)) }
        grid(&second, top: 58, bottom: 90)
        let document = layout([first, second])
        #expect(document.tables.count == 1)
        #expect(document.tables.first?.rows.map(\.first) == ["总蛋白(TP)", "高密度脂蛋白胆固醇(HDL-C)", "钾(K)"])
    }

    @Test("Headings come from size and bold, run-in headings are split from their text")
    func headings() {
        var page = SyntheticPage()
        page.text("南昌市第一人民医院", x: 200, y: 60, size: 20, bold: true)
        page.text("出院小结", x: 250, y: 90, size: 16, bold: true)
        page.text("现病史", x: 56, y: 130, size: 13)
        page.text("患者1天前进食油腻食物后出现右上腹持续性胀痛。", x: 56, y: 150, size: 10.5)
        page.text("入院主诉：反复胸闷2周，加重1天。", x: 56, y: 175, size: 10.5)
        page.text("CHIEF COMPLAINT: chest pain for two days.", x: 56, y: 195, size: 10.5)
        page.row([("既往史", 56), ("否认高血压、糖尿病史，否认药物过敏史。", 140)], y: 215, size: 10.5)
        page.text("【体格检查】神志清楚，心肺未见异常。", x: 56, y: 235, size: 10.5)
        let document = layout([page])
        let headings = document.blocks.filter { $0.kind == .heading }.map { ($0.text, $0.level ?? 0) }
        #expect(headings.map(\.0) == ["南昌市第一人民医院", "出院小结", "现病史", "入院主诉", "CHIEF COMPLAINT", "既往史", "【体格检查】"])
        #expect(headings.map(\.1).prefix(3) == [1, 2, 3])
        #expect(document.sections.map(\.canonical) == [.historyOfPresentIllness, .chiefComplaint, .chiefComplaint, .pastHistory, .physicalExam])
        #expect(document.sections.last?.text == "神志清楚，心肺未见异常。")
        #expect(document.sections[3].text == "否认高血压、糖尿病史，否认药物过敏史。")
        #expect(document.sections[2].text == "chest pain for two days.")
    }

    @Test("Running headers, footers and page numbers are discarded on every page")
    func furniture() {
        let pages = (1...2).map { number -> SyntheticPage in
            var page = SyntheticPage(number: number)
            page.text("某某医院 电子病历系统", x: 56, y: 40, size: 8)
            page.text("正文第\(number)页的内容，足够长以便成为段落。", x: 56, y: 120, size: 10.5)
            page.text("第 \(number) 页 共 2 页", x: 270, y: 800, size: 8)
            return page
        }
        let document = layout(pages)
        #expect(document.blocks.filter(\.kind.isDiscarded).count == 4)
        let text = MarkdownRenderer().render(document)
        #expect(!text.contains("电子病历系统") && !text.contains("共 2 页"))
        #expect(text.contains("正文第1页"))
    }

    @Test("A running header OCR misread on one page is still a running header; different lines in the band are not")
    func misreadRunningHeader() {
        let headers = ["齐齐哈尔市第一人民医院 电子病历系统", "齐齐哈尔市第一人只至吹 电子病历系统"]
        let tops = ["患者既往史与个人史摘要如下所述", "实验室检查结果汇总见下表所列"]
        let pages = (1...2).map { number -> SyntheticPage in
            var page = SyntheticPage(number: number)
            // Body-sized and close to the next line: only its repetition marks the header.
            page.text(headers[number - 1], x: 56, y: 30, size: 10.5)
            page.text(tops[number - 1], x: 56, y: 44, size: 10.5)
            page.text("正文第\(number)页的内容，足够长以便成为段落。", x: 56, y: 58, size: 10.5)
            return page
        }
        let text = MarkdownRenderer().render(layout(pages))
        #expect(!text.contains("电子病历系统"), "\(text)")
        #expect(text.contains("患者既往史与个人史摘要") && text.contains("实验室检查结果汇总"), "\(text)")
    }

    @Test("Page numbers are recognised in their common shapes", arguments: [
        ("第 3 页 共 9 页", true), ("Page 2 of 5", true), ("- 4 -", true), ("3 / 7", true), ("12", true),
        ("第3页", true), ("Page 2", true), ("共9项", false), ("2024-01-05", false), ("MRN 123", false),
    ])
    func pageNumbers(text: String, expected: Bool) {
        #expect(PageNumberPattern.matches(text) == expected)
    }

    @Test("Wrapped lines join: Chinese without a space, English with one and hyphenation repaired")
    func paragraphs() {
        var page = SyntheticPage()
        let long = String(repeating: "患者入院后完善检查", count: 5)
        page.text(long, x: 56, y: 100, size: 10)
        page.text("术后恢复良好。", x: 56, y: 113, size: 10)
        page.text("The patient was admitted for further evaluation and manage-", x: 56, y: 140, size: 10)
        page.text("ment of recurrent chest pain.", x: 56, y: 153, size: 10)
        let text = markdown([page])
        #expect(text.contains(long + "术后恢复良好。"))
        #expect(text.contains("evaluation and management of recurrent chest pain."))
    }

    @Test("A table continued on the next page is one table; a repeated header is dropped")
    func continuedTable() {
        var first = SyntheticPage(number: 1), second = SyntheticPage(number: 2)
        first.row(zip(["项目", "结果", "单位", "参考范围", "提示"], labColumns).map { ($0, $1) }, y: 600)
        first.row(zip(["总蛋白(TP)", "79.1", "g/L", "65.0-85.0", ""], labColumns).map { ($0, $1) }, y: 616)
        first.row(zip(["白蛋白(ALB)", "49.5", "g/L", "40.0-55.0", ""], labColumns).map { ($0, $1) }, y: 632)
        second.row(zip(["项目", "结果", "单位", "参考范围", "提示"], labColumns).map { ($0, $1) }, y: 80)
        second.row(zip(["钾(K)", "4.57", "mmol/L", "3.50-5.30", ""], labColumns).map { ($0, $1) }, y: 96)
        second.row(zip(["氯(Cl)", "117.6", "mmol/L", "99.0-110.0", "↑"], labColumns).map { ($0, $1) }, y: 112)
        let document = layout([first, second])
        #expect(document.tables.count == 1)
        #expect(document.tables.first?.pages == [1, 2])
        #expect(document.tables.first?.rows.map(\.first) == ["总蛋白(TP)", "白蛋白(ALB)", "钾(K)", "氯(Cl)"])
    }

    @Test("Two text columns are read left column first")
    func twoColumns() throws {
        var page = SyntheticPage()
        let left = ["Left column line one is here and runs on for a while", "left column line two follows it and runs on too",
                    "left column line three ends the left column here."]
        let right = ["Right column line one is here and runs on as well", "right column line two follows it and runs on too",
                     "right column line three ends the right column."]
        for (index, (l, r)) in zip(left, right).enumerated() {
            page.row([(l, 56), (r, 320)], y: 100 + Double(index) * 13)
        }
        let text = markdown([page])
        let leftEnd = try #require(text.range(of: "ends the left column here.")).lowerBound
        let rightStart = try #require(text.range(of: "Right column line one")).lowerBound
        #expect(leftEnd < rightStart)
    }

    @Test("An image becomes a figure with the caption printed below it")
    func figure() {
        var page = SyntheticPage()
        page.image(Box(x0: 100, y0: 100, x1: 300, y1: 250))
        page.text("图1 胸部CT轴位图像", x: 150, y: 256, size: 9)
        let document = layout([page])
        let figure = document.blocks.first { $0.kind == .figure }
        #expect(figure?.caption == "图1 胸部CT轴位图像")
        #expect(MarkdownRenderer().render(document).hasPrefix("![图1 胸部CT轴位图像]("))
    }

    @Test("A page with no text over a full-page image needs OCR")
    func scannedPage() {
        var page = SyntheticPage()
        page.image(Box(x0: 0, y0: 0, x1: 595, y1: 842))
        #expect(layout([page]).pages.first?.needsOCR == true)
        var digital = SyntheticPage()
        digital.text(String(repeating: "正文", count: 20), x: 56, y: 100)
        #expect(layout([digital]).pages.first?.needsOCR == false)
    }
}
