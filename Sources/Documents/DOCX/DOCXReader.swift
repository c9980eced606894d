import Foundation

/// Reads a Word document (DOCX) into the document model: headings from paragraph styles and outline levels,
/// paragraphs, list items, tables with merged cells, images with their captions; headers and footers become
/// discarded blocks. A DOCX has no fixed pages, so everything is on page 1 and boxes are empty.
public struct DOCXReader: Sendable {
    public var sections: SectionMapping

    public init(sections: SectionMapping = .standard) {
        self.sections = sections
    }

    /// - Throws: ``DocumentError`` naming `displayName` for a damaged container, malformed XML or a zip bomb.
    public func read(_ path: String, displayName: String) throws -> Document {
        try parse(path, displayName: displayName, extractImages: false).document
    }

    /// The document and, with `extractImages`, the images its figures name (as stored in the package).
    public func parse(_ path: String, displayName: String, extractImages: Bool) throws -> ParsedDocument {
        var package = try DOCXPackage(path: path, displayName: displayName)
        guard let main = try package.xml("word/document.xml"), let body = main.element("w:body") else {
            throw DocumentError(.malformedContainer, "\(displayName): not a Word document (no word/document.xml body).")
        }
        let styles = DOCXStyles(try package.xml("word/styles.xml"))
        let relations = DOCXRelations(try package.xml("word/_rels/document.xml.rels"))
        var converter = DOCXBodyConverter(styles: styles, relations: relations, sections: sections)
        converter.numbering = DOCXNumbering(try package.xml("word/numbering.xml"))
        var blocks: [Block] = []
        for part in package.parts(under: "word/") where Self.isHeaderOrFooter(part) {
            guard let root = try package.xml(part) else { continue }
            let kind: BlockKind = part.contains("header") ? .header : .footer
            for text in DOCXBodyConverter.paragraphTexts(in: root) where !text.isEmpty {
                blocks.append(Block(kind: kind, page: 1, box: .zero, lines: [Line(box: .zero, spans: [Span(text: text, page: 1, box: .zero)])]))
            }
        }
        blocks += converter.blocks(of: body)
        var size = (width: 595.0, height: 842.0)
        if let pageSize = body.element("w:sectPr")?.element("w:pgSz"),
           let width = pageSize["w:w"].flatMap(Double.init), let height = pageSize["w:h"].flatMap(Double.init) {
            size = (width / 20, height / 20)   // twentieths of a point
        }
        let page = Page(number: 1, width: size.width, height: size.height, blocks: blocks)
        let document = DocumentStructure(sections: sections).complete(Document(source: .docx, pages: [page]))
        var images: [ExtractedImage] = []
        if extractImages {
            for (name, target) in converter.imageTargets {
                let part = target.hasPrefix("/") ? String(target.dropFirst()) : "word/" + target
                if let data = try package.data(part) { images.append(ExtractedImage(name: name, data: data)) }
            }
        }
        return ParsedDocument(document: document, images: images)
    }

    private static func isHeaderOrFooter(_ part: String) -> Bool {
        let name = (part as NSString).lastPathComponent
        return !part.contains("_rels") && name.hasSuffix(".xml") && (name.hasPrefix("header") || name.hasPrefix("footer"))
    }
}

extension Box {
    /// The box of content without page geometry (DOCX).
    public static let zero = Box(x0: 0, y0: 0, x1: 0, y1: 0)
}

/// Paragraph styles: id → display name and outline level (styles.xml may be absent; ids then speak for themselves).
struct DOCXStyles {
    private var names: [String: String] = [:]
    private var outlineLevels: [String: Int] = [:]

    init(_ root: XMLElement?) {
        for style in root?.elements("w:style") ?? [] {
            guard let id = style["w:styleId"] else { continue }
            if let name = style.element("w:name")?["w:val"] { names[id] = name }
            if let level = style.element("w:pPr")?.element("w:outlineLvl")?["w:val"].flatMap(Int.init) { outlineLevels[id] = level }
        }
    }

    /// Heading level of a paragraph style: Title 1, Subtitle 2, Heading N (标题 N) N+1, an outline level L L+2.
    func headingLevel(styleID: String) -> Int? {
        let name = (names[styleID] ?? styleID).lowercased().filter { !$0.isWhitespace }
        if name == "title" || name == "标题" { return 1 }
        if name == "subtitle" || name == "副标题" { return 2 }
        for prefix in ["heading", "标题"] where name.hasPrefix(prefix) {
            if let number = Int(name.dropFirst(prefix.count)) { return min(6, number + 1) }
        }
        if let level = outlineLevels[styleID], level < 9 { return min(6, level + 2) }
        return nil
    }
}

/// Relationship ids → targets (images under word/media).
struct DOCXRelations {
    private var targets: [String: String] = [:]

    init(_ root: XMLElement?) {
        for relation in root?.elements("Relationship") ?? [] {
            if let id = relation["Id"], let target = relation["Target"] { targets[id] = target }
        }
    }

    func target(_ id: String) -> String? { targets[id] }
}
