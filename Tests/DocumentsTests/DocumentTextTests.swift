import Documents
import Foundation
import Testing

@Suite("Document text index")
struct DocumentTextTests {
    @Test("Every span's text sits at its recorded offsets, and a range maps back to the span's page box")
    func offsets() throws {
        var page = SyntheticPage()
        page.text("页眉 电子病历系统", x: 56, y: 30, size: 8)
        page.row([("姓名：田霞", 56), ("住院号：86778051", 250)], y: 100)
        page.row(zip(["项目", "结果", "单位", "参考范围", "提示"], labColumns).map { ($0, $1) }, y: 130)
        page.row(zip(["白细胞计数(WBC)", "6.59", "10^9/L", "3.50-9.50", ""], labColumns).map { ($0, $1) }, y: 146)
        let document = layout([page])
        let index = DocumentText(document)
        let scalars = Array(index.text.unicodeScalars)
        for entry in index.entries {
            let slice = String(String.UnicodeScalarView(scalars[entry.range]))
            #expect(!slice.isEmpty)
        }
        let name = try #require(index.text.range(of: "田霞"))
        let start = index.text.unicodeScalars.distance(from: index.text.unicodeScalars.startIndex, to: name.lowerBound)
        let boxes = index.boxes(for: start..<(start + 2))
        #expect(boxes.count == 1)
        #expect(boxes.first?.page == 1)
        // 姓名：田霞 is five ten-point characters from x 56: the name covers 86…106.
        #expect(abs((boxes.first?.box.x0 ?? 0) - 86) < 0.5 && abs((boxes.first?.box.x1 ?? 0) - 106) < 0.5)
        #expect(index.text.contains("86778051") && index.text.contains("6.59"))
    }

    @Test("Running headers are indexed unless left out")
    func discarded() {
        var first = SyntheticPage(number: 1), second = SyntheticPage(number: 2)
        for page in [1, 2] {
            var p = page == 1 ? first : second
            p.text("张三 的病历", x: 56, y: 30, size: 8)
            p.text("正文内容足够长，作为一个段落出现在页面中间。", x: 56, y: 200)
            if page == 1 { first = p } else { second = p }
        }
        let document = layout([first, second])
        #expect(DocumentText(document).text.contains("张三"))
        #expect(!DocumentText(document, includeDiscarded: false).text.contains("张三"))
    }

    @Test("A range across two spans gives a box for each")
    func acrossSpans() {
        var page = SyntheticPage()
        page.row([("姓名：田霞", 56), ("性别：女", 250)], y: 100)
        let index = DocumentText(layout([page]))
        #expect(index.boxes(for: 0..<index.text.unicodeScalars.count).count == 2)
    }
}
