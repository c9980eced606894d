/// Converts the paragraphs and tables of a DOCX body (or table cell) into blocks.
struct DOCXBodyConverter {
    let styles: DOCXStyles
    let relations: DOCXRelations
    let sections: SectionMapping
    var numbering = DOCXNumbering(nil)
    private var listCounters: [String: Int] = [:]
    private var figureCount = 0
    /// Figure image names and their package targets (`media/image1.png`), in order.
    private(set) var imageTargets: [(name: String, target: String)] = []

    init(styles: DOCXStyles, relations: DOCXRelations, sections: SectionMapping) {
        self.styles = styles
        self.relations = relations
        self.sections = sections
    }

    mutating func blocks(of container: XMLElement) -> [Block] {
        var blocks: [Block] = []
        var openFigure: Int?
        for element in container.childElements {
            switch element.name {
            case "w:p":
                let content = Self.content(of: element)
                for image in content.images {
                    figureCount += 1
                    let target = image.target.flatMap(relations.target)
                    let name = target.map { "figure-\(figureCount)-" + ($0 as NSString).lastPathComponent } ?? "figure-\(figureCount).png"
                    if let target, !imageTargets.contains(where: { $0.name == name }) { imageTargets.append((name, target)) }
                    blocks.append(Block(kind: .figure, page: 1, box: .zero, imageName: name))
                    openFigure = blocks.count - 1
                }
                let text = content.text.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                if let figure = openFigure, content.images.isEmpty, blocks[figure].caption == nil,
                   LineTraits.isCaption(text) || (text.count <= 40 && heading(of: element, text: text, bold: content.bold) == nil) {
                    blocks[figure].caption = text
                    blocks[figure].lines = [Self.line(text)]
                    openFigure = nil
                    continue
                }
                openFigure = nil
                blocks += paragraphBlocks(element, text: text, bold: content.bold)
            case "w:tbl":
                openFigure = nil
                blocks.append(Block(kind: .table, page: 1, box: .zero, table: table(element)))
            case "w:sdt":
                if let inner = element.element("w:sdtContent") { blocks += self.blocks(of: inner) }
            default:
                continue
            }
        }
        return blocks
    }

    private mutating func paragraphBlocks(_ paragraph: XMLElement, text: String, bold: Bool) -> [Block] {
        if let level = heading(of: paragraph, text: text, bold: bold) {
            return [Block(kind: .heading, page: 1, box: .zero, level: level, lines: [Self.line(text)])]
        }
        // Run-in headings: 主诉：…, 【主诉】… with a known section label.
        let scalars = Array(text.unicodeScalars)
        if let (label, restStart) = RunInLabel.split(scalars, sections: sections) {
            let rest = String(String.UnicodeScalarView(scalars[restStart...])).trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                return [Block(kind: .heading, page: 1, box: .zero, level: 3, lines: [Self.line(label)]),
                        Block(kind: .paragraph, page: 1, box: .zero, lines: [Self.line(rest)])]
            }
        }
        if let properties = paragraph.element("w:pPr")?.element("w:numPr"),
           let id = properties.element("w:numId")?["w:val"], id != "0" {
            let level = properties.element("w:ilvl")?["w:val"] ?? "0"
            let key = id + "/" + level
            listCounters[key, default: 0] += 1
            let marker = numbering.isBullet(numID: id, level: level) ? "- " : "\(listCounters[key]!). "
            return [Block(kind: .listItem, page: 1, box: .zero, lines: [Self.line(marker + text)])]
        }
        if LineTraits.listMarkerLength(text) != nil {
            return [Block(kind: .listItem, page: 1, box: .zero, lines: [Self.line(text)])]
        }
        if LineTraits.isFormula(text) { return [Block(kind: .formula, page: 1, box: .zero, lines: [Self.line(text)])] }
        if LineTraits.isCaption(text) { return [Block(kind: .caption, page: 1, box: .zero, lines: [Self.line(text)])] }
        return [Block(kind: .paragraph, page: 1, box: .zero, lines: [Self.line(text)])]
    }

    /// Heading level from the style or outline level; a short all-bold paragraph naming a known section is a
    /// section heading too.
    private func heading(of paragraph: XMLElement, text: String, bold: Bool) -> Int? {
        let properties = paragraph.element("w:pPr")
        if let style = properties?.element("w:pStyle")?["w:val"], let level = styles.headingLevel(styleID: style) { return level }
        if let outline = properties?.element("w:outlineLvl")?["w:val"].flatMap(Int.init), outline < 9 { return min(6, outline + 2) }
        if bold, text.count <= 40, !LineTraits.endsSentence(text), !LineTraits.isKeyValue(text),
           sections.field(for: text) != .other || LineTraits.hasHeadingEnumerator(text) { return 3 }
        return nil
    }

    private func table(_ element: XMLElement) -> Table {
        var rows: [[Cell]] = []
        // For vertical merges: the (row, index) of the cell that started the merge, by grid column.
        var mergeOrigin: [Int: (row: Int, index: Int)] = [:]
        for row in element.elements("w:tr") {
            var cells: [Cell] = []
            var column = 0
            for cell in row.elements("w:tc") {
                let properties = cell.element("w:tcPr")
                let span = properties?.element("w:gridSpan")?["w:val"].flatMap(Int.init) ?? 1
                let merge = properties?.element("w:vMerge")
                let text = Self.paragraphTexts(in: cell).filter { !$0.isEmpty }.joined(separator: " ")
                if let merge, merge["w:val"] != "restart", let origin = mergeOrigin[column] {
                    if origin.row < rows.count { rows[origin.row][origin.index].rowSpan += 1 }
                    column += span
                    continue
                }
                if merge?["w:val"] == "restart" { mergeOrigin[column] = (rows.count, cells.count) } else { mergeOrigin[column] = nil }
                cells.append(Cell(text: text, columnSpan: max(1, span)))
                column += span
            }
            rows.append(cells)
        }
        return Table(rows: rows, headerRows: rows.isEmpty ? 0 : 1, pages: [1], detection: .markup)
    }

    struct ParagraphContent {
        var text = ""
        var bold = true
        var images: [(target: String?, description: String?)] = []
    }

    /// Text of a paragraph (tabs as two spaces, breaks as new lines), whether all of it is bold, and its images.
    static func content(of paragraph: XMLElement) -> ParagraphContent {
        var content = ParagraphContent()
        var sawText = false
        func walk(_ element: XMLElement, bold: Bool) {
            switch element.name {
            case "w:del", "w:instrText", "w:delText", "w:pPr", "w:rPr":
                return
            case "w:r":
                let runBold = element.element("w:rPr").map { properties in
                    properties.element("w:b").map { $0["w:val"] != "0" && $0["w:val"] != "false" } ?? false
                } ?? false
                for child in element.childElements { walk(child, bold: runBold) }
                return
            case "w:t":
                for case .text(let value) in element.children { content.text += value }
                if !element.children.isEmpty {
                    sawText = true
                    content.bold = content.bold && bold
                }
                return
            case "w:tab":
                content.text += "  "
                return
            case "w:br", "w:cr":
                content.text += "\n"
                return
            case "a:blip":
                content.images.append((element["r:embed"], nil))
                return
            case "v:imagedata":
                content.images.append((element["r:id"], nil))
                return
            default:
                for child in element.childElements { walk(child, bold: bold) }
            }
        }
        walk(paragraph, bold: false)
        if !sawText { content.bold = false }
        return content
    }

    /// Texts of every paragraph under an element, in order (cells, headers, footers).
    static func paragraphTexts(in element: XMLElement) -> [String] {
        var texts: [String] = []
        func walk(_ node: XMLElement) {
            if node.name == "w:p" {
                texts.append(content(of: node).text.trimmingCharacters(in: .whitespaces))
                return
            }
            for child in node.childElements { walk(child) }
        }
        walk(element)
        return texts
    }

    static func line(_ text: String) -> Line {
        Line(box: .zero, spans: [Span(text: text, page: 1, box: .zero)])
    }
}

/// List formats from numbering.xml: which numbered lists are bullets.
struct DOCXNumbering {
    private var bulletLevels: Set<String> = []

    init(_ root: XMLElement?) {
        guard let root else { return }
        var abstractBullets: [String: Set<String>] = [:]
        for abstract in root.elements("w:abstractNum") {
            guard let id = abstract["w:abstractNumId"] else { continue }
            for level in abstract.elements("w:lvl") where level.element("w:numFmt")?["w:val"] == "bullet" {
                abstractBullets[id, default: []].insert(level["w:ilvl"] ?? "0")
            }
        }
        for number in root.elements("w:num") {
            guard let id = number["w:numId"], let abstract = number.element("w:abstractNumId")?["w:val"] else { continue }
            for level in abstractBullets[abstract] ?? [] { bulletLevels.insert(id + "/" + level) }
        }
    }

    func isBullet(numID: String, level: String) -> Bool { bulletLevels.contains(numID + "/" + level) }
}

import Foundation
