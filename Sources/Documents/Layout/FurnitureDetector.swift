/// Finds running headers, footers and page numbers: lines in the page's top or bottom band that repeat across
/// pages (digits ignored), read as a page number, or sit alone in the margin in a smaller font than the body.
struct FurnitureDetector {
    /// Share of the page height at the top and at the bottom where furniture can be.
    static let band = 0.1

    let proseFontSize: Double
    let bodyFontSize: Double

    /// The furniture kind of every line, per page (nil for content).
    func classify(_ pages: [[VisualLine]], heights: [Double]) -> [[BlockKind?]] {
        let repeats = RepeatedLines(pages.enumerated().map { pageIndex, lines in
            lines.filter { inBand($0, height: heights[pageIndex]) != nil }.map { Self.signature($0.plainText) }
        })
        let repeatThreshold = max(2, (pages.count + 1) / 2)
        return pages.enumerated().map { pageIndex, lines in
            let largest = lines.map(\.fontSize).max() ?? 0
            return lines.enumerated().map { lineIndex, line -> BlockKind? in
                guard let position = inBand(line, height: heights[pageIndex]) else { return nil }
                if PageNumberPattern.matches(line.plainText) { return .pageNumber }
                let repeated = pages.count > 1 && repeats.pageCount(of: Self.signature(line.plainText)) >= repeatThreshold
                let isolated = isIsolated(lineIndex, in: lines, position: position)
                // Not set larger than the body: titles are, running headers are not.
                let small = line.fontSize < proseFontSize * 0.95 || line.fontSize <= bodyFontSize
                    || line.fontSize < largest * 0.6
                if repeated || (isolated && small) { return position }
                return nil
            }
        }
    }

    private func inBand(_ line: VisualLine, height: Double) -> BlockKind? {
        if line.box.y1 <= height * Self.band { return .header }
        if line.box.y0 >= height * (1 - Self.band) { return .footer }
        return nil
    }

    /// The first (or last) line of the page, set apart from its neighbour by more than a line's height.
    private func isIsolated(_ index: Int, in lines: [VisualLine], position: BlockKind) -> Bool {
        let line = lines[index]
        if position == .header {
            guard lines[..<index].allSatisfy({ $0.box.y1 <= line.box.y1 + 1 }) else { return false }
            guard let next = lines[(index + 1)...].first(where: { $0.box.y0 > line.box.y1 }) else { return true }
            return next.box.y0 - line.box.y1 > line.height
        }
        guard lines[(index + 1)...].allSatisfy({ $0.box.y0 >= line.box.y0 - 1 }) else { return false }
        guard let previous = lines[..<index].last(where: { $0.box.y1 < line.box.y0 }) else { return true }
        return line.box.y0 - previous.box.y1 > line.height
    }

    /// The text without digits and spaces: "第 1 页 共 2 页" and "第 2 页 共 2 页" share one signature.
    static func signature(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace && !("0"..."9").contains($0) }))
    }
}

/// How many pages carry a line in their margin bands like a given one: the same signature, or — for signatures of
/// six or more characters — one at most a quarter of its characters away, as OCR reads a small grey running header
/// a little differently on every page (`人民医院` as `人只至吹`).
struct RepeatedLines {
    private var pageCounts: [String: Int] = [:]

    static let fuzzyLength = 6

    init(_ bandSignatures: [[String]]) {
        var pagesBySignature: [String: Set<Int>] = [:]
        for (page, signatures) in bandSignatures.enumerated() {
            for signature in signatures { pagesBySignature[signature, default: []].insert(page) }
        }
        // Compared once per distinct signature, not per line: a long document's running header is one signature.
        let long = pagesBySignature.filter { $0.key.count >= Self.fuzzyLength }.map { (chars: Array($0.key), pages: $0.value) }
        for (signature, pages) in pagesBySignature {
            var all = pages
            if signature.count >= Self.fuzzyLength {
                let chars = Array(signature)
                for other in long where abs(other.chars.count - chars.count) * 4 <= chars.count && !other.pages.isSubset(of: all) {
                    let allowed = Double(max(chars.count, other.chars.count)) / 4
                    if EditDistance.between(chars, other.chars, substitution: { _, _ in 1 }) <= allowed { all.formUnion(other.pages) }
                }
            }
            pageCounts[signature] = all.count
        }
    }

    func pageCount(of signature: String) -> Int { pageCounts[signature] ?? 0 }
}

/// Page-number lines: 第 1 页 共 2 页, 第1/2页, Page 1 of 2, Page 1, - 1 -, 1 / 2, 1.
enum PageNumberPattern {
    static func matches(_ text: String) -> Bool {
        let compact = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace })).lowercased()
        guard !compact.isEmpty, compact.count <= 24 else { return false }
        var shape = ""
        var lastWasDigit = false
        for scalar in compact.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                if !lastWasDigit { shape += "#" }
                lastWasDigit = true
            } else {
                shape.unicodeScalars.append(scalar)
                lastWasDigit = false
            }
        }
        return shapes.contains(shape)
    }

    private static let shapes: Set<String> = [
        "#", "-#-", "—#—", "#/#", "第#页", "第#页共#页", "第#页,共#页", "第#页，共#页", "第#/#页", "共#页第#页",
        "page#", "page#of#", "page#/#", "p.#", "#of#", "pg#", "pg.#",
    ]
}
