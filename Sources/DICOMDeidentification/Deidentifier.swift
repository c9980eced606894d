public import Anonymization
public import DICOM

/// Applies the Basic Application Level Confidentiality Profile (PS3.15 Annex E) and the chosen options to a
/// DICOM file: every listed attribute gets its action (recursively inside sequences), private attributes are
/// removed, every non-registered UID — listed or not, references in sequences too — is replaced consistently, and
/// the identity-removed attributes are set.
///
/// - Important: The report counts actions per kind and never carries values.
public struct Deidentifier: Sendable {
    public var options: Set<ProfileOption>
    public var key: ProjectKey
    public var profile: ConfidentialityProfile
    /// Removes PHI from free text (Clean Descriptors / Clean Structured Content); without it those attributes
    /// are removed instead of cleaned.
    public var cleanText: (@Sendable (String) -> String)?
    /// Clean Pixel Data: burned-in text found by OCR and blanked. Nil leaves pixels untouched.
    public var pixelCleaner: PixelCleaner?
    /// Private attributes a site has vetted as safe (kept only with Retain Safe Private). Empty by default.
    public var safePrivate: Set<Tag> = []

    private let uids: UIDMapper

    public init(options: Set<ProfileOption> = [], key: ProjectKey, profile: ConfidentialityProfile = .standard,
                cleanText: (@Sendable (String) -> String)? = nil, pixelCleaner: PixelCleaner? = nil) {
        self.options = options
        self.key = key
        uids = UIDMapper(key: key)
        self.profile = profile
        self.cleanText = cleanText
        self.pixelCleaner = pixelCleaner
    }

    /// What was done to one file, by kind of action.
    public struct Report: Sendable, Encodable, Equatable {
        public var removed = 0
        public var emptied = 0
        public var dummied = 0
        public var cleaned = 0
        public var uidsReplaced = 0
        public var datesShifted = 0
        public var privateRemoved = 0
        public var kept = 0
        /// Burned-in text is looked for only with Clean Pixel Data; false means the pixels were not checked.
        public var pixelsChecked = false
        /// Regions blanked in the pixel data (pixel coordinates per frame).
        public var blankedRegions: [PixelCleaner.Region] = []
        /// Why pixel data was not checked (compressed, unsupported layout).
        public var pixelNote: String?
    }

    /// - Throws: the OCR engine's error when pixel data is cleaned (a file is never passed as clean unchecked).
    public func deidentify(_ file: DICOMFile) throws -> (file: DICOMFile, report: Report) {
        var report = Report()
        var file = file
        if let pixelCleaner {
            switch try pixelCleaner.clean(&file.dataset, bigEndian: file.transferSyntax.isBigEndian) {
            case .cleaned(let regions):
                report.pixelsChecked = true
                report.blankedRegions = regions
            case .notChecked(let reason):
                report.pixelNote = reason
            case .noPixelData:
                report.pixelsChecked = true
            }
        }
        let patientID = file.dataset[Tag(0x0010, 0x0020)]?.asciiValue ?? ""
        // The per-patient offset costs two HMACs: only when dates are to be shifted.
        let days = options.contains(.retainLongitudinalModifiedDates)
            ? DateShift.offset(key: key, patientID: patientID.isEmpty ? "dataset" : patientID) : 0
        let characterSet = SpecificCharacterSet(file.dataset)
        let context = Context(days: days, characterSet: characterSet,
                              knownValues: cleanText == nil ? [] : KnownValues.collect(file.dataset, characterSet: characterSet))
        file.dataset = process(file.dataset, context: context, report: &report)
        markIdentityRemoved(&file.dataset)
        updateMeta(&file)
        return (file, report)
    }

    struct Context {
        var days: Int
        var characterSet: SpecificCharacterSet
        /// The dataset's own identifying values (name components, IDs, phone numbers): scrubbed from cleaned text
        /// even where the text engine would not recognise them.
        var knownValues: [String] = []
    }

    private func process(_ dataset: Dataset, context: Context, report: inout Report) -> Dataset {
        var result = Dataset()
        for element in dataset.elements {
            // Private attributes go, unless Retain Safe Private is chosen and the attribute is on the site's list of
            // private attributes known to be safe (PS3.15 E.3.10). No list ships yet, so today they all go: a
            // private tag of unknown meaning is never kept on trust.
            if element.tag.isPrivate, !(options.contains(.retainSafePrivate) && safePrivate.contains(element.tag)) {
                report.privateRemoved += 1
                continue
            }
            // Elements stay in their order, so appending keeps the dataset sorted.
            if element.tag.group == 0x0002 { result.append(element); continue }
            let action = profile.action(for: element.tag, options: options)
            if let replaced = apply(action, to: element, context: context, report: &report) { result.append(replaced) }
        }
        return result
    }

    private func apply(_ action: ProfileAction?, to element: DataElement, context: Context, report: inout Report) -> DataElement? {
        var element = element
        switch action {
        case .remove?:
            report.removed += 1
            return nil
        case .empty?:
            // A sequence keeps its items with every attribute inside de-identified by its own action (an emptied
            // Referenced Study Sequence would drop the references the profile says to remap, not remove).
            if case .sequence = element.value { return recurse(element, context: context, report: &report) }
            report.emptied += 1
            element.value = .bytes([])
            return element
        case .dummy?:
            report.dummied += 1
            if case .sequence = element.value { return recurse(element, context: context, report: &report) }
            return dummy(for: element)
        case .replaceUID?:
            if case .sequence = element.value { return recurse(element, context: context, report: &report) }
            return replacingUID(element, report: &report)
        case .clean?:
            return clean(element, context: context, report: &report)
        case .keep?, nil:
            if case .sequence = element.value { return recurse(element, context: context, report: &report) }
            if element.vr == .UI, !options.contains(.retainUIDs) { return replacingUID(element, report: &report) }
            if action == .keep { report.kept += 1 }
            return element
        }
    }

    private func recurse(_ element: DataElement, context: Context, report: inout Report) -> DataElement {
        var element = element
        element.value = .sequence(element.items.map { item in
            var item = item
            item.dataset = process(item.dataset, context: context, report: &report)
            return item
        })
        return element
    }

    /// Non-registered UIDs (each of a multi-valued element) get their consistent replacement.
    private func replacingUID(_ element: DataElement, report: inout Report) -> DataElement {
        guard element.vr == .UI, !options.contains(.retainUIDs) else { return element }
        let values = element.asciiValue.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
        let mapped = values.map { $0.isEmpty || UIDMapper.isRegistered($0) ? $0 : uids.map($0) }
        guard mapped != values else { return element }
        report.uidsReplaced += 1
        return DataElement(tag: element.tag, vr: .UI, text: mapped.joined(separator: "\\"))
    }

    /// C: dates are shifted by the patient's offset (Retain Longitudinal Modified Dates), times kept; text is
    /// cleaned of PHI when a cleaner is given, otherwise removed; sequences are processed item by item.
    private func clean(_ element: DataElement, context: Context, report: inout Report) -> DataElement? {
        if case .sequence = element.value { return recurse(element, context: context, report: &report) }
        switch element.vr {
        case .DA, .DT:
            let kind: DICOMVRKind = element.vr == .DA ? .date : .dateTime
            let values = element.asciiValue.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
            let shifted = values.map { $0.isEmpty ? "" : DICOMDates.shift($0, vr: kind, days: context.days) }
            guard !shifted.contains(where: { $0 == nil }) else {
                report.emptied += 1
                var empty = element
                empty.value = .bytes([])
                return empty
            }
            report.datesShifted += 1
            return DataElement(tag: element.tag, vr: element.vr, text: shifted.map { $0! }.joined(separator: "\\"))
        case .TM:
            report.kept += 1
            return element
        case .UI:
            return replacingUID(element, report: &report)
        default:
            guard element.vr.isText, let cleanText else {
                report.removed += 1
                return nil
            }
            report.cleaned += 1
            let text = context.characterSet.decode(element.bytes, vr: element.vr)
            var bytes = context.characterSet.encode(KnownValues.scrub(cleanText(text), values: context.knownValues))
            if bytes.count % 2 == 1 { bytes.append(0x20) }
            return DataElement(tag: element.tag, vr: element.vr, value: .bytes(bytes))
        }
    }

    /// D: a dummy of the element's VR.
    private func dummy(for element: DataElement) -> DataElement {
        let text: String
        switch element.vr {
        case .PN: text = "ANONYMOUS"
        case .DA: text = "19000101"
        case .TM: text = "000000"
        case .DT: text = "19000101000000"
        case .AS: text = "000Y"
        case .DS, .IS: text = "0"
        case .UI:
            var counted = Report()   // already counted as a dummy
            return replacingUID(element, report: &counted)
        case .CS: text = "ANONYMOUS"
        case .AE, .LO, .SH, .LT, .ST, .UT, .UC: text = "ANONYMOUS"
        case .UR: text = "urn:anonymous"
        default:
            var zeroed = element
            zeroed.value = .bytes(Array(repeating: 0, count: max(element.vr.isText ? 0 : 2, element.bytes.count)))
            return zeroed
        }
        return DataElement(tag: element.tag, vr: element.vr, text: text)
    }

    private func markIdentityRemoved(_ dataset: inout Dataset) {
        dataset[Tag(0x0012, 0x0062)] = DataElement(tag: Tag(0x0012, 0x0062), vr: .CS, text: "YES")
        let chosen = ProfileOption.allCases.filter(options.contains)
        var meanings = ["PS3.15 Basic Application Level Confidentiality Profile"] + chosen.map(\.code.meaning)
        var codes = [("113100", "Basic Application Confidentiality Profile")] + chosen.map { $0.code }
        if pixelCleaner != nil {
            meanings.append("Clean Pixel Data Option")
            codes.append(("113101", "Clean Pixel Data Option"))
        }
        let method = meanings.joined(separator: "; ")
        dataset[Tag(0x0012, 0x0063)] = DataElement(tag: Tag(0x0012, 0x0063), vr: .LO, text: String(method.prefix(64)))
        let items = codes.map { code -> Item in
            var item = Dataset()
            item[Tag(0x0008, 0x0100)] = DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, text: code.0)
            item[Tag(0x0008, 0x0102)] = DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, text: "DCM")
            item[Tag(0x0008, 0x0104)] = DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, text: String(code.1.prefix(64)))
            return Item(dataset: item)
        }
        dataset[Tag(0x0012, 0x0064)] = DataElement(tag: Tag(0x0012, 0x0064), vr: .SQ, value: .sequence(items))
        let temporal = options.contains(.retainLongitudinalFullDates) ? "UNMODIFIED"
            : options.contains(.retainLongitudinalModifiedDates) ? "MODIFIED" : "REMOVED"
        dataset[Tag(0x0028, 0x0303)] = DataElement(tag: Tag(0x0028, 0x0303), vr: .CS, text: temporal)
    }

    /// The file meta follows the dataset: Media Storage SOP Instance UID = SOP Instance UID; this implementation's
    /// class UID and version name (the originals name the software that wrote the identified file).
    private func updateMeta(_ file: inout DICOMFile) {
        guard !file.meta.isEmpty else { return }
        if let sop = file.dataset[.sopInstanceUID] {
            file.meta[.mediaStorageSOPInstanceUID] = DataElement(tag: .mediaStorageSOPInstanceUID, vr: .UI, text: sop.asciiValue)
        }
        file.meta[Tag(0x0002, 0x0012)] = DataElement(tag: Tag(0x0002, 0x0012), vr: .UI, text: Self.implementationClassUID)
        file.meta[Tag(0x0002, 0x0013)] = DataElement(tag: Tag(0x0002, 0x0013), vr: .SH, text: "MEDLOCAL_0_1")
        file.meta[Tag(0x0002, 0x0016)] = nil   // Source Application Entity Title of the original sender
        file.meta[Tag(0x0002, 0x0017)] = nil
        file.meta[Tag(0x0002, 0x0018)] = nil
        var length = ByteLength()
        for element in file.meta.elements where element.tag != .fileMetaInformationGroupLength { length.add(element) }
        file.meta[.fileMetaInformationGroupLength] = DataElement(tag: .fileMetaInformationGroupLength, vr: .UL,
                                                                  value: .bytes(length.littleEndianBytes))
    }

    /// MedLocal's implementation class UID (a fixed UUID-derived 2.25 UID).
    public static let implementationClassUID = "2.25.190748273064186354612890457862741392819"
}

/// Length of explicit VR little endian encoded elements (for the file meta group length).
struct ByteLength {
    var total: UInt32 = 0

    mutating func add(_ element: DataElement) {
        let header: UInt32 = element.vr.hasLongLength ? 12 : 8
        total += header + UInt32(element.bytes.count)
    }

    var littleEndianBytes: [UInt8] { (0..<4).map { UInt8((total >> (8 * $0)) & 0xFF) } }
}
