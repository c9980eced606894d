/// Turns one page's lines (furniture already marked), images and rules into blocks in reading order.
struct PageAnalyzer {
    let style: DocumentStyle
    let sections: SectionMapping

    /// The page's blocks, and the column boundaries of a table it ends with (for the next page).
    func blocks(page: Int, lines: [VisualLine], furniture: [BlockKind?], images: [RawImage], rules: PageRules,
                width: Double, continuing carried: [Double]? = nil)
        -> (blocks: [Block], images: [ExtractedImage], openTable: [Double]?) {
        var blocks: [Block] = []
        var content: [VisualLine] = []
        for (line, kind) in zip(lines, furniture) {
            if let kind {
                blocks.append(Block(kind: kind, page: page, box: line.box, lines: [line.line]))
            } else {
                content.append(line)
            }
        }
        let ordered = ColumnLayout.readingOrder(content, pageWidth: width)
        let tables = TableDetector(bodyFontSize: style.bodyFontSize, rules: rules)
        var paragraph = ParagraphBuilder(page: page, style: style)
        paragraph.rightEdge = Self.rightEdge(of: content, pageWidth: width)
        var index = 0
        var openTable: [Double]?
        if let carried, carried.count >= 1, let found = tables.continuation(of: carried, in: ordered, at: 0) {
            blocks.append(Block(kind: .table, page: page, box: found.boxes[0], table: found.tables[0]))
            index = found.nextLine
            openTable = index == ordered.count ? carried : nil
        }
        while index < ordered.count {
            if let found = tables.table(in: ordered, at: index) {
                blocks += paragraph.finish()
                for (table, box) in zip(found.tables, found.boxes) {
                    blocks.append(Block(kind: .table, page: page, box: box, table: table))
                }
                index = found.nextLine
                openTable = index == ordered.count ? found.columns : nil
                continue
            }
            blocks += blocksForLine(ordered[index], paragraph: &paragraph)
            openTable = nil
            index += 1
        }
        blocks += paragraph.finish()
        let figures = FigureAttacher.attach(images: images, to: blocks, page: page)
        return (figures.blocks, figures.images, openTable)
    }

    private func blocksForLine(_ line: VisualLine, paragraph: inout ParagraphBuilder) -> [Block] {
        let text = line.text
        if let level = style.headingLevel(of: line) {
            return paragraph.finish() + [Block(kind: .heading, page: line.page, box: line.box, level: level, lines: [line.line])]
        }
        if let runIn = runInHeading(line) {
            return paragraph.finish() + runIn.heading + paragraph.add(runIn.rest)
        }
        if LineTraits.isCaption(text) {
            return paragraph.finish() + [Block(kind: .caption, page: line.page, box: line.box, lines: [line.line])]
        }
        if LineTraits.isFormula(text) {
            return paragraph.finish() + paragraph.start(line, as: .formula)
        }
        if LineTraits.listMarkerLength(line.plainText) != nil {
            return paragraph.finish() + paragraph.start(line, as: .listItem)
        }
        return paragraph.add(line)
    }

    /// Where running text ends on the right: most long lines reach it.
    static func rightEdge(of lines: [VisualLine], pageWidth: Double) -> Double {
        let ends = lines.filter { $0.plainText.count >= 12 && $0.segments.count == 1 }.map(\.box.x1).sorted()
        guard ends.count >= 3 else { return pageWidth * 0.85 }
        return ends[Int(Double(ends.count - 1) * 0.95)]
    }

    /// "入院主诉：患者…" / "CHIEF COMPLAINT: …": a known section label, a colon and the section's first words; or
    /// a label set apart in its own segment ("主诉    反复胸闷2周", "主诉：    …") with the text beside it.
    private func runInHeading(_ line: VisualLine) -> (heading: [Block], rest: VisualLine)? {
        guard let first = line.segments.first, line.segments.count == 1 || !LineTraits.isFieldGridRow(line) else { return nil }
        let scalars = Array(first.text.unicodeScalars)
        guard let (label, restStart) = RunInLabel.split(scalars, sections: sections) else { return nil }
        let restText = String(String.UnicodeScalarView(scalars[restStart...])).trimmingCharacters(in: .whitespaces)
        var headingSegment = first
        headingSegment.text = label
        var others = Array(line.segments.dropFirst())
        if !restText.isEmpty {
            let split = first.characterEdges.count == scalars.count
                ? first.characterEdges[restStart - 1].1
                : first.box.x0 + first.box.width * Double(restStart) / Double(max(1, scalars.count))
            headingSegment.box.x1 = split
            var restSegment = first
            restSegment.text = restText
            restSegment.box.x0 = split
            restSegment.characterEdges = []
            others.insert(restSegment, at: 0)
        }
        guard !others.isEmpty else { return nil }
        let heading = Block(kind: .heading, page: line.page, box: headingSegment.box, level: style.sectionLevel,
                            lines: [Line(spans: [headingSegment.span])])
        return ([heading], VisualLine(segments: others))
    }
}

import Foundation
