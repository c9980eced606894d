/// The kind of identifier a finding points at.
///
/// An open set: the built-in kinds are static members, and a site may declare its own
/// (`EntityKind("WARD_CODE")`) through a policy without code changes.
public struct EntityKind: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let person = EntityKind("PERSON")
    public static let idNumber = EntityKind("ID_NUMBER")
    public static let phoneNumber = EntityKind("PHONE_NUMBER")
    public static let emailAddress = EntityKind("EMAIL_ADDRESS")
    public static let medicalRecordNumber = EntityKind("MEDICAL_RECORD_NUMBER")
    public static let healthInsuranceNumber = EntityKind("HEALTH_INSURANCE_NUMBER")
    public static let address = EntityKind("ADDRESS")
    public static let date = EntityKind("DATE")
    public static let age = EntityKind("AGE")
    public static let hospital = EntityKind("HOSPITAL")
    public static let bankCard = EntityKind("BANK_CARD")
    public static let usSSN = EntityKind("US_SSN")
    public static let ipAddress = EntityKind("IP_ADDRESS")
    public static let url = EntityKind("URL")
    public static let passport = EntityKind("PASSPORT")
    public static let licensePlate = EntityKind("LICENSE_PLATE")
    /// Device serial numbers. Not reported unless asked for (`--types`, or a policy that lists it).
    public static let deviceID = EntityKind("DEVICE_ID")

    /// The kinds reported by default, in a stable order.
    public static let standard: [EntityKind] = [
        .person, .idNumber, .phoneNumber, .emailAddress, .medicalRecordNumber, .healthInsuranceNumber,
        .address, .date, .age, .hospital, .bankCard, .usSSN, .ipAddress, .url, .passport, .licensePlate,
    ]

    /// Every kind the built-in recognizers can produce, the opt-in ones included.
    public static let all: [EntityKind] = standard + [.deviceID]
}
