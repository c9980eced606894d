public import Foundation

/// Exports a document as a FHIR R4 `collection` Bundle: a Patient (identifiers only when asked for), a Composition
/// with one section per printed section, and — when the document has lab tables — a DiagnosticReport with one
/// Observation per lab row (`valueQuantity` with a UCUM code where the unit is known, reference range,
/// interpretation H/L/A).
///
/// Resource ids are derived from the document's content, so the same document exports to the same Bundle.
public struct FHIRExporter: Sendable {
    /// Copy record numbers found in the basic information (住院号, MRN …) into `Patient.identifier`.
    public var includePatientIdentifiers: Bool
    /// The Composition's date; fixed in tests, the export time otherwise.
    public var date: Date?

    public init(includePatientIdentifiers: Bool = false, date: Date? = nil) {
        self.includePatientIdentifiers = includePatientIdentifiers
        self.date = date
    }

    public func export(_ document: Document) throws -> Data {
        try JSONSerialization.data(withJSONObject: bundle(document), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The Bundle as JSON-compatible dictionaries.
    public func bundle(_ document: Document) -> [String: Any] {
        var ids = ResourceIDs(seed: DocumentJSONDigest.digest(document))
        let patientID = ids.next()
        let patientReference = "urn:uuid:\(patientID)"
        var entries: [[String: Any]] = []
        var patient: [String: Any] = ["resourceType": "Patient", "id": patientID]
        if includePatientIdentifiers {
            let identifiers = RecordNumbers.find(in: document).map { ["type": ["text": $0.label], "value": $0.value] }
            if !identifiers.isEmpty { patient["identifier"] = identifiers }
        }
        entries.append(entry(patient, id: patientID))
        let title = Self.title(of: document)
        let when = ISO8601DateFormatter().string(from: date ?? Date())
        if !document.sections.isEmpty {
            let compositionID = ids.next()
            let sections: [[String: Any]] = document.sections.map { section in
                [
                    "title": section.heading,
                    "code": ["coding": [["system": "urn:medlocal:clinical-field", "code": section.canonical.rawValue]],
                             "text": section.canonical.rawValue],
                    "text": ["status": "generated", "div": Self.narrative(section.text)],
                ]
            }
            let composition: [String: Any] = [
                "resourceType": "Composition", "id": compositionID, "status": "final",
                "type": Self.documentType(title: title, document: document),
                "subject": ["reference": patientReference], "date": when,
                "author": [["display": "MedLocal document parser"]], "title": title, "section": sections,
            ]
            entries.append(entry(composition, id: compositionID))
        }
        if !document.labResults.isEmpty {
            let reportID = ids.next()
            var references: [[String: Any]] = []
            var observations: [[String: Any]] = []
            for result in document.labResults {
                let id = ids.next()
                references.append(["reference": "urn:uuid:\(id)"])
                observations.append(entry(observation(result, id: id, subject: patientReference), id: id))
            }
            let report: [String: Any] = [
                "resourceType": "DiagnosticReport", "id": reportID, "status": "final",
                "category": [["coding": [["system": FHIRSystem.diagnosticServiceSection, "code": "LAB"]]]],
                "code": ["text": title], "subject": ["reference": patientReference], "result": references,
            ]
            entries.append(entry(report, id: reportID))
            entries += observations
        }
        return ["resourceType": "Bundle", "id": ids.next(), "type": "collection", "entry": entries]
    }

    private func entry(_ resource: [String: Any], id: String) -> [String: Any] {
        ["fullUrl": "urn:uuid:\(id)", "resource": resource]
    }

    private func observation(_ result: LabResult, id: String, subject: String) -> [String: Any] {
        var code: [String: Any] = ["text": result.item]
        if let labCode = result.code { code["coding"] = [["system": "urn:medlocal:lab-code", "code": labCode, "display": result.item]] }
        var resource: [String: Any] = [
            "resourceType": "Observation", "id": id, "status": "final",
            "category": [["coding": [["system": FHIRSystem.observationCategory, "code": "laboratory"]]]],
            "code": code, "subject": ["reference": subject],
        ]
        if let value = result.numericValue {
            var quantity = UCUM.quantity(value, unit: result.unit)
            if let comparator = result.comparator { quantity["comparator"] = comparator }
            resource["valueQuantity"] = quantity
        } else {
            resource["valueString"] = result.value
        }
        if let range = result.referenceRange {
            var fhirRange: [String: Any] = ["text": range.text]
            if let low = range.low { fhirRange["low"] = UCUM.quantity(low, unit: result.unit) }
            if let high = range.high { fhirRange["high"] = UCUM.quantity(high, unit: result.unit) }
            resource["referenceRange"] = [fhirRange]
        }
        if let flag = result.flag {
            resource["interpretation"] = [["coding": [["system": FHIRSystem.observationInterpretation,
                                                       "code": flag]]]]
        }
        if let specimen = result.specimen { resource["note"] = [["text": "specimen: \(specimen)"]] }
        return resource
    }

    /// The document title: the first heading below the top level (the hospital name), else the first heading.
    static func title(of document: Document) -> String {
        let headings = document.blocks.filter { $0.kind == .heading || $0.kind == .title }
        let first = headings.first { ($0.level ?? 1) == 2 } ?? headings.first
        return first?.text ?? "Clinical document"
    }

    private static func documentType(title: String, document: Document) -> [String: Any] {
        let lowered = title.lowercased()
        let (code, display): (String, String)
        if lowered.contains("出院") || lowered.contains("discharge") { (code, display) = ("18842-5", "Discharge summary") }
        else if !document.labResults.isEmpty || lowered.contains("检验") || lowered.contains("lab") { (code, display) = ("11502-2", "Laboratory report") }
        else if lowered.contains("影像") || lowered.contains("超声") || lowered.contains("imaging") || lowered.contains("radiology") || lowered.contains("ct") {
            (code, display) = ("18748-4", "Diagnostic imaging study")
        } else { (code, display) = ("34133-9", "Summary of episode note") }
        return ["coding": [["system": FHIRSystem.loinc, "code": code, "display": display]], "text": title]
    }

    static func narrative(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: "<br/>")
        return "<div xmlns=\"\(FHIRSystem.xhtmlNamespace)\">\(escaped)</div>"
    }
}

/// The code systems and namespaces FHIR resources name. These URIs are identifiers that FHIR readers compare as
/// strings — MedLocal never fetches or contacts them (it links no networking code; see the offline tests).
enum FHIRSystem {
    static let loinc = "http://loinc.org"
    static let ucum = "http://unitsofmeasure.org"
    static let diagnosticServiceSection = "http://terminology.hl7.org/CodeSystem/v2-0074"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let observationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
    /// Composition narrative is XHTML in this namespace.
    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"
}

/// Deterministic UUID-shaped ids from a content digest and a counter.
struct ResourceIDs {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> String {
        let high = Self.mix(&state), low = Self.mix(&state)
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        // Version 4 layout (random-looking), variant 10xx.
        let parts = [String(characters[0..<8]), String(characters[8..<12]), "4" + String(characters[13..<16]),
                     "8" + String(characters[17..<20]), String(characters[20..<32])]
        return parts.joined(separator: "-")
    }

    /// SplitMix64.
    private static func mix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A 64-bit FNV-1a digest of the document's text, to seed resource ids.
enum DocumentJSONDigest {
    static func digest(_ document: Document) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for block in document.blocks {
            for byte in block.text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return hash
    }
}

/// UCUM codes for the units lab reports print.
enum UCUM {
    private static let codes: [String: String] = [
        "10^9/l": "10*9/L", "×10^9/l": "10*9/L", "x10^9/l": "10*9/L", "10^12/l": "10*12/L", "×10^12/l": "10*12/L",
        "μmol/l": "umol/L", "µmol/l": "umol/L", "umol/l": "umol/L", "mmol/l": "mmol/L", "nmol/l": "nmol/L", "pmol/l": "pmol/L",
        "mg/l": "mg/L", "g/l": "g/L", "mg/dl": "mg/dL", "g/dl": "g/dL", "ng/ml": "ng/mL", "pg/ml": "pg/mL", "μg/l": "ug/L",
        "ug/l": "ug/L", "u/l": "U/L", "iu/l": "[IU]/L", "miu/ml": "m[IU]/mL", "uiu/ml": "u[IU]/mL", "μiu/ml": "u[IU]/mL",
        "%": "%", "s": "s", "sec": "s", "fl": "fL", "pg": "pg", "mmhg": "mm[Hg]", "ml/min": "mL/min", "mm/h": "mm/h",
        "meq/l": "meq/L", "g": "g", "mg": "mg", "kg": "kg", "cm": "cm", "mm": "mm", "/hp": "/[HPF]", "/μl": "/uL", "/ul": "/uL",
    ]

    static func code(for unit: String) -> String? {
        codes[unit.lowercased().filter { !$0.isWhitespace }]
    }

    static func quantity(_ value: Double, unit: String?) -> [String: Any] {
        var quantity: [String: Any] = ["value": value]
        guard let unit, !unit.isEmpty else { return quantity }
        quantity["unit"] = unit
        if let code = code(for: unit) {
            quantity["system"] = FHIRSystem.ucum
            quantity["code"] = code
        }
        return quantity
    }
}

/// Record numbers printed as `label：value` in a document's basic information.
enum RecordNumbers {
    static let labels = ["住院号", "门诊号", "病案号", "病历号", "登记号", "ID号", "MRN", "Medical Record Number", "Record No", "Patient ID"]

    static func find(in document: Document) -> [(label: String, value: String)] {
        var found: [(String, String)] = []
        for block in document.blocks where block.kind == .paragraph {
            for field in block.text.components(separatedBy: "  ") {
                guard let colon = field.firstIndex(where: { $0 == "：" || $0 == ":" }) else { continue }
                let label = field[..<colon].trimmingCharacters(in: .whitespaces)
                let value = field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if labels.contains(where: { label.caseInsensitiveCompare($0) == .orderedSame }), !value.isEmpty { found.append((label, value)) }
            }
        }
        return found
    }
}
