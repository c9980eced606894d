/// Derives a document's clinical views from its blocks: sections (headings at the section level, with the text
/// until the next one), the flat table list and the normalised lab rows.
public struct DocumentStructure: Sendable {
    public var sections: SectionMapping
    public var labs: LabTableNormalizer

    public init(sections: SectionMapping = .standard, labs: LabTableNormalizer = LabTableNormalizer()) {
        self.sections = sections
        self.labs = labs
    }

    /// The document with `sections`, `tables` and `labResults` filled in from its blocks.
    public func complete(_ document: Document) -> Document {
        var document = document
        let blocks = document.blocks.filter { !$0.kind.isDiscarded }
        document.sections = sectionViews(of: blocks)
        document.tables = blocks.compactMap { block in
            block.table.map { TableView(page: block.page, pages: $0.pages, header: $0.header, rows: $0.bodyRows) }
        }
        document.labResults = blocks.compactMap { block in block.table.map { ($0, block.page) } }
            .flatMap { labs.results(of: $0.0, page: $0.1) }
        return document
    }

    /// Section headings are the headings at the levels where numbered (一、 1.) or exactly known clinical headings
    /// occur (or the deepest heading level when there are none): the hospital name and the document title above
    /// them are not sections.
    private func sectionViews(of blocks: [Block]) -> [Section] {
        let headings = blocks.filter { $0.kind == .heading }
        let anchors = headings.filter { sections.exactField(for: $0.text) != nil || HeadingNumber.isNumbered($0.text) }
        let levels = anchors.isEmpty ? Set(headings.compactMap(\.level).max().map { [$0] } ?? []) : Set(anchors.compactMap(\.level))
        var result: [Section] = []
        var body: [String] = []
        func close() {
            guard !result.isEmpty else { return }
            result[result.count - 1].text = body.joined(separator: "\n")
            body.removeAll()
        }
        for block in blocks {
            if block.kind == .heading, let level = block.level, levels.contains(level) {
                close()
                result.append(Section(heading: block.text, canonical: sections.field(for: block.text), text: "", page: block.page))
            } else if !result.isEmpty {
                let text = block.kind == .figure ? (block.caption ?? "") : block.text
                if !text.isEmpty { body.append(text) }
            }
        }
        close()
        return result
    }
}

/// Numbered headings: 一、 (一) 1. 1.1 I.
enum HeadingNumber {
    static func isNumbered(_ text: String) -> Bool {
        LineTraits.hasHeadingEnumerator(text) || SectionMapping.normalize(text) != SectionMapping.normalize(text, keepingEnumerator: true)
    }
}
