import Foundation
public import DICOM

/// The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), by their CLI names, with
/// their CID 7050 codes.
public enum ProfileOption: String, CaseIterable, Sendable {
    case retainSafePrivate = "retain-safe-private"
    case retainUIDs = "retain-uids"
    case retainDeviceIdentity = "retain-device-identity"
    case retainInstitutionIdentity = "retain-institution-identity"
    case retainPatientCharacteristics = "retain-patient-characteristics"
    case retainLongitudinalFullDates = "retain-long-full-dates"
    case retainLongitudinalModifiedDates = "retain-long-modified-dates"
    case cleanDescriptors = "clean-descriptors"
    case cleanStructuredContent = "clean-structured-content"
    case cleanGraphics = "clean-graphics"

    /// The column of Table E.1-1 that holds this option's actions.
    var column: String {
        switch self {
        case .retainSafePrivate: "rtnSafePrivOpt"
        case .retainUIDs: "rtnUIDsOpt"
        case .retainDeviceIdentity: "rtnDevIdOpt"
        case .retainInstitutionIdentity: "rtnInstIdOpt"
        case .retainPatientCharacteristics: "rtnPatCharsOpt"
        case .retainLongitudinalFullDates: "rtnLongFullDatesOpt"
        case .retainLongitudinalModifiedDates: "rtnLongModifDatesOpt"
        case .cleanDescriptors: "cleanDescOpt"
        case .cleanStructuredContent: "cleanStructContOpt"
        case .cleanGraphics: "cleanGraphOpt"
        }
    }

    /// CID 7050 code value and meaning.
    public var code: (value: String, meaning: String) {
        switch self {
        case .retainSafePrivate: ("113111", "Retain Safe Private Option")
        case .retainUIDs: ("113110", "Retain UIDs Option")
        case .retainDeviceIdentity: ("113109", "Retain Device Identity Option")
        case .retainInstitutionIdentity: ("113112", "Retain Institution Identity Option")
        case .retainPatientCharacteristics: ("113108", "Retain Patient Characteristics Option")
        case .retainLongitudinalFullDates: ("113106", "Retain Longitudinal Temporal Information Full Dates Option")
        case .retainLongitudinalModifiedDates: ("113107", "Retain Longitudinal Temporal Information Modified Dates Option")
        case .cleanDescriptors: ("113105", "Clean Descriptors Option")
        case .cleanStructuredContent: ("113104", "Clean Structured Content Option")
        case .cleanGraphics: ("113103", "Clean Graphics Option")
        }
    }
}

/// What the profile does to an attribute (PS3.15 Table E.1-1 action codes).
public enum ProfileAction: String, Sendable {
    /// X: remove.
    case remove = "X"
    /// Z: replace with a zero-length value.
    case empty = "Z"
    /// D: replace with a non-zero-length dummy value consistent with the VR.
    case dummy = "D"
    /// K: keep.
    case keep = "K"
    /// C: clean — keep what is safe (shift dates, remove PHI from text).
    case clean = "C"
    /// U: replace the UID with a consistent new one.
    case replaceUID = "U"

    /// Combined codes resolved the way that keeps the dataset valid for any IOD: a type 1 attribute needs a
    /// value (D), a type 2 one may be empty (Z); so X/D and Z/D → D, X/Z → Z, X/Z/U* → U.
    public init?(code: String) {
        let parts = code.replacingOccurrences(of: "*", with: "").split(separator: "/").compactMap { ProfileAction(rawValue: String($0)) }
        if parts.contains(.replaceUID) { self = .replaceUID }
        else if parts.contains(.dummy) { self = .dummy }
        else if parts.contains(.empty) { self = .empty }
        else if let first = parts.first { self = first }
        else { return nil }
    }
}

/// Table E.1-1 as data (generated from the standard): the basic action per attribute and each option's override.
public struct ConfidentialityProfile: Sendable {
    struct Row: Sendable {
        var basic: ProfileAction
        var options: [String: ProfileAction]
    }

    private var exact: [UInt32: Row] = [:]
    private var masked: [(pattern: TagPattern, row: Row)] = []

    public static let standard = ConfidentialityProfile(table: table)

    init(table: String) {
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let basic = ProfileAction(code: String(parts[1])) else { continue }
            var options: [String: ProfileAction] = [:]
            for part in parts.dropFirst(2) {
                let pair = part.split(separator: "=")
                if pair.count == 2, let action = ProfileAction(code: String(pair[1])) { options[String(pair[0])] = action }
            }
            let row = Row(basic: basic, options: options)
            guard let pattern = TagPattern(parts[0]) else { continue }
            if pattern.isExact { exact[pattern.value] = row } else { masked.append((pattern, row)) }
        }
    }

    /// The action for `tag` under the chosen options (an option's action replaces the basic one), or nil when
    /// the table does not list the attribute.
    public func action(for tag: Tag, options: Set<ProfileOption>) -> ProfileAction? {
        guard let row = exact[tag.value] ?? masked.first(where: { $0.pattern.matches(tag) })?.row else { return nil }
        for option in ProfileOption.allCases where options.contains(option) {
            if let action = row.options[option.column] { return action }
        }
        return row.basic
    }

    public var count: Int { exact.count + masked.count }
}
