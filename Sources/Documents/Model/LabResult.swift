/// One row of a lab table, normalised.
public struct LabResult: Codable, Sendable, Equatable {
    /// The test's name as printed, without a trailing code in brackets (`白细胞计数` of `白细胞计数(WBC)`).
    public var item: String
    /// The code in brackets, when printed (`WBC`).
    public var code: String?
    /// The value as printed (`6.59`, `<0.5`, `阴性`).
    public var value: String
    /// The value as a number when it reads as one (`<0.5` → 0.5 with comparator `<`).
    public var numericValue: Double?
    public var comparator: String?
    public var unit: String?
    public var referenceRange: ReferenceRange?
    /// `H` (above the range), `L` (below), `A` (abnormal, non-numeric) or nil (normal / unknown).
    public var flag: String?
    /// True when the flag was computed from the value and range rather than printed.
    public var flagComputed: Bool
    public var specimen: String?
    /// 1-based page of the row.
    public var page: Int

    public init(item: String, code: String? = nil, value: String, numericValue: Double? = nil,
                comparator: String? = nil, unit: String? = nil, referenceRange: ReferenceRange? = nil,
                flag: String? = nil, flagComputed: Bool = false, specimen: String? = nil, page: Int) {
        self.item = item
        self.code = code
        self.value = value
        self.numericValue = numericValue
        self.comparator = comparator
        self.unit = unit
        self.referenceRange = referenceRange
        self.flag = flag
        self.flagComputed = flagComputed
        self.specimen = specimen
        self.page = page
    }

    enum CodingKeys: String, CodingKey {
        case item, code, value, numericValue = "numeric_value", comparator, unit
        case referenceRange = "reference_range", flag, flagComputed = "flag_computed", specimen, page
    }
}

/// A reference range: numeric bounds where it has them, and always the printed text.
public struct ReferenceRange: Codable, Sendable, Equatable {
    public var low: Double?
    public var high: Double?
    public var text: String

    public init(low: Double? = nil, high: Double? = nil, text: String) {
        self.low = low
        self.high = high
        self.text = text
    }

    /// "H" above the range, "L" below it, nil inside it (or when it has no bounds).
    public func flag(for number: Double) -> String? {
        if let high, number > high { return "H" }
        if let low, number < low { return "L" }
        return nil
    }
}
