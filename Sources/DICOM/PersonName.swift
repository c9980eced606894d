/// A person name value (PN): up to three component groups — alphabetic, ideographic, phonetic — separated by
/// "=", each with family^given^middle^prefix^suffix components.
public struct PersonName: Sendable, Equatable {
    public var alphabetic: [String]
    public var ideographic: [String]
    public var phonetic: [String]

    public init(_ text: String) {
        let groups = text.split(separator: "=", omittingEmptySubsequences: false).map {
            $0.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        }
        alphabetic = groups.count > 0 ? groups[0] : []
        ideographic = groups.count > 1 ? groups[1] : []
        phonetic = groups.count > 2 ? groups[2] : []
    }
}

extension Dataset {
    /// A text value decoded with this dataset's Specific Character Set (or the one given, for nested items that
    /// inherit their parent's).
    public func string(_ tag: Tag, characterSet: SpecificCharacterSet? = nil) -> String? {
        guard let element = self[tag], case .bytes(let bytes) = element.value else { return nil }
        return (characterSet ?? SpecificCharacterSet(self)).decode(bytes, vr: element.vr)
    }
}
