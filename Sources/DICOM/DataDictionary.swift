/// The DICOM data dictionary (PS3.6): VR and keyword of every standard attribute, including repeating groups
/// such as (60xx,3000).
public enum DataDictionary {
    public struct Entry: Sendable {
        /// The first VR the standard allows ("US or SS" → US); `vrs` has them all.
        public var vr: VR
        public var vrs: [VR]
        public var keyword: String
    }

    private struct Table: Sendable {
        var exact: [UInt32: Entry] = [:]
        /// Masked tags: (mask of fixed hex digits, value) — x digits match anything.
        var masked: [(pattern: TagPattern, entry: Entry)] = []
    }

    private static let parsed: Table = {
        var result = Table()
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { continue }
            let vrs = parts[1].split(separator: "|").compactMap { VR(rawValue: String($0)) }
            let entry = Entry(vr: vrs.first ?? .UN, vrs: vrs.isEmpty ? [.UN] : vrs, keyword: String(parts[2]))
            guard let pattern = TagPattern(parts[0]) else { continue }
            if pattern.isExact { result.exact[pattern.value] = entry } else { result.masked.append((pattern, entry)) }
        }
        return result
    }()

    /// The entry for a standard tag, or nil (private tags, unknown tags).
    public static func entry(for tag: Tag) -> Entry? {
        if let entry = parsed.exact[tag.value] { return entry }
        if tag.isGroupLength { return Entry(vr: .UL, vrs: [.UL], keyword: "GroupLength") }
        return parsed.masked.first { $0.pattern.matches(tag) }?.entry
    }

    /// The VR an implicit-VR dataset's element has: the dictionary's, UN for unknown and private data elements,
    /// LO for private creators.
    public static func implicitVR(for tag: Tag) -> VR {
        if tag.isPrivateCreator { return .LO }
        return entry(for: tag)?.vr ?? .UN
    }
}
