/// A printed section of a clinical document: its heading as printed, the canonical field it maps to and the
/// plain text of its body (table rows as space-separated cells).
public struct Section: Codable, Sendable, Equatable {
    public var heading: String
    public var canonical: ClinicalField
    public var text: String
    /// 1-based page of the heading.
    public var page: Int

    public init(heading: String, canonical: ClinicalField, text: String, page: Int) {
        self.heading = heading
        self.canonical = canonical
        self.text = text
        self.page = page
    }
}

/// The canonical clinical fields a section heading maps to. An open set: a site's mapping table may add its own.
public struct ClinicalField: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let basicInfo = ClinicalField("basic_info")
    public static let chiefComplaint = ClinicalField("chief_complaint")
    public static let historyOfPresentIllness = ClinicalField("history_of_present_illness")
    public static let pastHistory = ClinicalField("past_history")
    public static let physicalExam = ClinicalField("physical_exam")
    public static let labResults = ClinicalField("lab_results")
    public static let imaging = ClinicalField("imaging")
    public static let diagnosis = ClinicalField("diagnosis")
    public static let dischargeOrders = ClinicalField("discharge_orders")
    public static let other = ClinicalField("other")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
