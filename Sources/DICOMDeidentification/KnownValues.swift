public import DICOM
import Foundation

/// The identifying values a dataset states about its own patient — every person name component, the patient's
/// IDs, accession number, phone numbers — which free text may repeat: cleaned text loses them wherever they occur.
enum KnownValues {
    static let identifyingTags: Set<Tag> = [
        Tag(0x0010, 0x0020), Tag(0x0010, 0x1000), Tag(0x0010, 0x2154), Tag(0x0008, 0x0050), Tag(0x0010, 0x1040),
        Tag(0x0020, 0x0010), Tag(0x0040, 0x1001), Tag(0x0010, 0x1005),
    ]

    static func collect(_ dataset: Dataset, characterSet: SpecificCharacterSet) -> [String] {
        var values: Set<String> = []
        func visit(_ dataset: Dataset) {
            for element in dataset.elements {
                if case .sequence(let items) = element.value {
                    items.forEach { visit($0.dataset) }
                    continue
                }
                guard element.vr == .PN || identifyingTags.contains(element.tag) else { continue }
                let text = characterSet.decode(element.bytes, vr: element.vr)
                if element.vr == .PN {
                    // Each component, and the family+given run as a name is written in text (梁敏, Amy Johnson).
                    for group in text.split(separator: "=") {
                        let parts = group.split(separator: "^").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                        values.formUnion(parts)
                        if parts.count >= 2 {
                            values.insert(parts[0] + parts[1])
                            values.insert(parts[1] + " " + parts[0])
                            values.insert(parts[0] + " " + parts[1])
                        }
                    }
                } else {
                    values.formUnion(text.split(separator: "\\").map { $0.trimmingCharacters(in: .whitespaces) })
                }
            }
        }
        visit(dataset)
        // Short fragments would erase ordinary words; a CJK component of two characters is a whole name.
        return values.filter { value in
            value.unicodeScalars.contains { $0.value > 0x2E80 } ? value.count >= 2 : value.count >= 3
        }.sorted { $0.count > $1.count }
    }

    /// `text` with every known value (longest first, case-insensitive) replaced by [REDACTED].
    static func scrub(_ text: String, values: [String]) -> String {
        var result = text
        for value in values {
            result = result.replacingOccurrences(of: value, with: "[REDACTED]", options: [.caseInsensitive])
        }
        return result
    }
}
