/// Joins a table that runs over a page break: the last content block of a page and the first content block of the
/// next are tables with the same number of columns. A header repeated on the new page is dropped.
enum TableContinuation {
    static func join(_ pages: [Page]) -> [Page] {
        var pages = pages
        for index in pages.indices.dropFirst() {
            guard let lastIndex = pages[index - 1].blocks.lastIndex(where: { !$0.kind.isDiscarded }),
                  let firstIndex = pages[index].blocks.firstIndex(where: { !$0.kind.isDiscarded }),
                  var head = pages[index - 1].blocks[lastIndex].table,
                  let tail = pages[index].blocks[firstIndex].table,
                  head.columnCount == tail.columnCount else { continue }
            var rows = tail.rows
            if let first = rows.first, key(first) == key(head.rows[0]) { rows.removeFirst() }
            else if tail.headerRows > 0, !looksLikeBody(tail, comparedWith: head) { continue }
            // A first row with only a cell or two filled is the rest of the row the page break cut.
            if tail.headerRows == 0, let first = rows.first, head.rows.count > 1,
               first.filter({ !$0.text.isEmpty }).count <= max(1, first.count / 2), first.count == head.rows[head.rows.count - 1].count {
                for (column, cell) in first.enumerated() where !cell.text.isEmpty {
                    head.rows[head.rows.count - 1][column].text = TextJoiner.join(head.rows[head.rows.count - 1][column].text, cell.text)
                    head.rows[head.rows.count - 1][column].spans += cell.spans
                }
                rows.removeFirst()
            }
            head.rows += rows
            head.pages += tail.pages.filter { !head.pages.contains($0) }
            pages[index - 1].blocks[lastIndex].table = head
            pages[index].blocks.remove(at: firstIndex)
        }
        return pages
    }

    private static func key(_ row: [Cell]) -> [String] { row.map { $0.text.filter { !$0.isWhitespace } } }

    /// Without a repeated header the tail's first row must not look like a header of its own: it reads as data
    /// (some cell has a digit) the way the head's body rows do.
    private static func looksLikeBody(_ tail: Table, comparedWith head: Table) -> Bool {
        guard let first = tail.rows.first else { return false }
        return first.contains { $0.text.contains(where: \.isNumber) }
    }
}
