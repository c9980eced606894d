/// A known section label opening a line, with the section's text after it: `主诉：反复胸闷`, `CHIEF COMPLAINT: …`,
/// `【体格检查】神志清楚`. PDFs and DOCX find run-in headings with this one rule.
enum RunInLabel {
    /// The label (as printed, without its colon) and the scalar offset where the rest of the line starts; nil when
    /// the line does not open with an exactly known section label of at most 40 characters. Without a colon or a
    /// bracket the whole text is the label (a label set apart in its own segment), and the rest is empty.
    static func split(_ scalars: [Unicode.Scalar], sections: SectionMapping) -> (label: String, restStart: Int)? {
        // 【主诉】…: the closing bracket ends the label as a colon would, and stays part of it.
        let bracketClose = scalars.first == "【" ? scalars.firstIndex(of: "】").map { $0 + 1 } : nil
        let colon = bracketClose == nil ? scalars.firstIndex { LineTraits.colons.contains($0) } : nil
        let labelEnd = bracketClose ?? colon ?? scalars.count
        let label = String(String.UnicodeScalarView(scalars[..<labelEnd]))
        guard label.count <= 40, sections.exactField(for: label) != nil else { return nil }
        return (label, bracketClose ?? colon.map { $0 + 1 } ?? scalars.count)
    }
}
