/// Cuts a page's raw lines into ``TextSegment``s at wide gaps and regroups them into ``VisualLine``s.
///
/// A PDF library's "line" may join a whole table row or split one printed line in several; what matters for the
/// layout is where the wide gaps are (columns, field grids) and which runs share a baseline.
enum Segmenter {
    /// A gap wider than this many font sizes starts a new segment.
    static let segmentGap = 0.9

    static func segments(of page: RawPage) -> [TextSegment] {
        var result: [TextSegment] = []
        for line in page.lines {
            var run: [RawCharacter] = []
            var lastInk: RawCharacter?
            for character in line.characters {
                let isSpace = character.scalar.properties.isWhitespace
                if let previous = lastInk, !isSpace {
                    let gap = character.box.x0 - previous.box.x1
                    let verticalJump = abs(character.box.midY - previous.box.midY) > 0.6 * max(character.size, previous.size)
                    if gap > segmentGap * max(character.size, previous.size) || gap < -2 * character.size || verticalJump {
                        if let segment = segment(of: run, page: page.number) { result.append(segment) }
                        run.removeAll(keepingCapacity: true)
                    }
                }
                run.append(character)
                if !isSpace { lastInk = character }
            }
            if let segment = segment(of: run, page: page.number) { result.append(segment) }
        }
        return result
    }

    private static func segment(of characters: [RawCharacter], page: Int) -> TextSegment? {
        let ink = characters.filter { !$0.scalar.properties.isWhitespace }
        guard !ink.isEmpty else { return nil }
        var text = String.UnicodeScalarView()
        var edges: [(Double, Double)] = []
        var pendingSpace: Double?
        for character in characters {
            if character.scalar.properties.isWhitespace {
                if !text.isEmpty { pendingSpace = edges.last?.1 }
                continue
            }
            if let start = pendingSpace {
                text.append(" ")
                edges.append((start, character.box.x0))
            }
            pendingSpace = nil
            text.append(character.scalar)
            edges.append((character.box.x0, character.box.x1))
        }
        let box = ink.map(\.box).union()
        let size = ink.map(\.size).median
        let boldCount = ink.reduce(0) { $0 + ($1.bold ? 1 : 0) }
        return TextSegment(text: String(text), box: box, fontSize: size, bold: boldCount * 2 > ink.count, page: page,
                           characterEdges: edges)
    }

    /// Groups segments that share a baseline band into lines, top to bottom.
    static func lines(of segments: [TextSegment]) -> [VisualLine] {
        let ordered = segments.sorted { $0.box.y0 < $1.box.y0 || ($0.box.y0 == $1.box.y0 && $0.box.x0 < $1.box.x0) }
        var groups: [[TextSegment]] = []
        var bands: [Box] = []
        for segment in ordered {
            var placed = false
            // Only the last few groups can still overlap a segment further down the page.
            for index in groups.indices.suffix(4).reversed() {
                let band = bands[index]
                let overlap = band.verticalOverlap(segment.box)
                if overlap >= 0.5 * min(band.height, segment.box.height) {
                    groups[index].append(segment)
                    bands[index] = Box(x0: min(band.x0, segment.box.x0), y0: band.y0,
                                       x1: max(band.x1, segment.box.x1), y1: band.y1)
                    placed = true
                    break
                }
            }
            if !placed {
                groups.append([segment])
                bands.append(segment.box)
            }
        }
        return groups.map(VisualLine.init).sorted { $0.box.y0 < $1.box.y0 }
    }
}
