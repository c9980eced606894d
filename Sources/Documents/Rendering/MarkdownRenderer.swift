/// Renders a document as Markdown: `#` headings by level, paragraphs with wrapped lines joined (Chinese without
/// spaces, English hyphenation repaired), numbered lists, GFM pipe tables (HTML tables where cells span), images
/// as `![caption](file)` followed by the caption. Discarded blocks (running headers, footers, page numbers) are
/// left out.
public struct MarkdownRenderer: Sendable {
    /// Folder the image links point into, relative to the Markdown file (`<stem>_images`); nil links by file name.
    public var imageFolder: String?

    public init(imageFolder: String? = nil) {
        self.imageFolder = imageFolder
    }

    public func render(_ document: Document) -> String {
        var parts: [String] = []
        for block in document.blocks where !block.kind.isDiscarded {
            if let rendered = render(block) { parts.append(rendered) }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    func render(_ block: Block) -> String? {
        switch block.kind {
        case .title:
            return "# " + Self.inline(block.text)
        case .heading:
            return String(repeating: "#", count: block.level ?? 3) + " " + Self.inline(block.lines.map(\.text).joined(separator: " "))
        case .paragraph, .caption, .formula:
            let text = Self.paragraphText(block.lines)
            return text.isEmpty ? nil : Self.escapeLineStart(text)
        case .listItem:
            return Self.listItem(Self.paragraphText(block.lines))
        case .table:
            return block.table.map(TableMarkdown.render)
        case .figure:
            let caption = block.caption ?? ""
            let name = block.imageName ?? "figure-p\(block.page).png"
            let link = imageFolder.map { "\($0)/\(name)" } ?? name
            let image = "![\(Self.inline(caption).replacingOccurrences(of: "]", with: "\\]"))](\(link))"
            return caption.isEmpty ? image : image + "\n\n" + Self.escapeLineStart(caption)
        case .header, .footer, .pageNumber:
            return nil
        }
    }

    /// Lines of a paragraph joined as one text (each `key：value  key：value` row is its own paragraph already).
    static func paragraphText(_ lines: [Line]) -> String {
        lines.reduce("") { TextJoiner.join($0, $1.text.trimmingCharacters(in: .whitespaces)) }
    }

    /// A list item keeps its printed number (`1.` `2)` → `1.`); bullets become `-`.
    static func listItem(_ text: String) -> String {
        guard let length = LineTraits.listMarkerLength(text) else { return "- " + text }
        let marker = String(text.unicodeScalars.prefix(length)).trimmingCharacters(in: .whitespaces)
        let body = String(text.unicodeScalars.dropFirst(length))
        let digits = marker.filter(\.isNumber)
        return digits.isEmpty ? "- " + body : "\(digits). " + body
    }

    /// Collapses line breaks inside a heading or cell.
    static func inline(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A paragraph that would read as Markdown syntax (`# x`, `1. x`, `- x`, `| x`) is escaped.
    static func escapeLineStart(_ text: String) -> String {
        guard let first = text.first else { return text }
        if "#>|+".contains(first) || (first == "-" && text.dropFirst().first == " ") { return "\\" + text }
        if LineTraits.listMarkerLength(text) != nil, first.isNumber, let dot = text.firstIndex(where: { $0 == "." || $0 == ")" }) {
            return text[..<dot] + "\\" + text[dot...]
        }
        return text
    }
}

import Foundation
