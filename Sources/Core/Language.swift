/// The languages MedLocal reads.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh
    case en
}
