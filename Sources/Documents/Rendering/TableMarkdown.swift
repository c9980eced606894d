/// GFM pipe tables, or HTML when a cell spans rows or columns (pipe tables cannot say that).
enum TableMarkdown {
    static func render(_ table: Table) -> String {
        table.hasSpans ? html(table) : pipe(table)
    }

    static func pipe(_ table: Table) -> String {
        let width = table.columnCount
        func row(_ cells: [Cell]) -> String {
            let texts = cells.map { escape($0.text) } + Array(repeating: "", count: max(0, width - cells.count))
            return "| " + texts.joined(separator: " | ") + " |"
        }
        var lines: [String] = []
        let header = table.headerRows > 0 ? table.rows[table.headerRows - 1] : Array(repeating: Cell(text: ""), count: width)
        lines.append(row(header))
        lines.append("|" + Array(repeating: "---", count: width).joined(separator: "|") + "|")
        for body in table.rows.dropFirst(table.headerRows) { lines.append(row(body)) }
        return lines.joined(separator: "\n")
    }

    static func html(_ table: Table) -> String {
        var out = "<table>\n"
        for (index, row) in table.rows.enumerated() {
            let tag = index < table.headerRows ? "th" : "td"
            out += "<tr>"
            for cell in row {
                var attributes = ""
                if cell.rowSpan > 1 { attributes += " rowspan=\"\(cell.rowSpan)\"" }
                if cell.columnSpan > 1 { attributes += " colspan=\"\(cell.columnSpan)\"" }
                out += "<\(tag)\(attributes)>\(htmlEscape(cell.text))</\(tag)>"
            }
            out += "</tr>\n"
        }
        return out + "</table>"
    }

    private static func escape(_ text: String) -> String {
        MarkdownRenderer.inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    private static func htmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: "<br>")
    }
}

import Foundation
