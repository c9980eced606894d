import Documents
import Testing

@Suite("Section mapping")
struct SectionMappingTests {
    @Test("Printed headings map to canonical fields", arguments: [
        ("主诉", "chief_complaint"), ("二、主诉", "chief_complaint"), ("入院主诉", "chief_complaint"), ("【主  诉】", "chief_complaint"),
        ("Chief Complaint", "chief_complaint"), ("CC:", "chief_complaint"), ("2. Chief Complaint", "chief_complaint"),
        ("三、现病史", "history_of_present_illness"), ("HPI", "history_of_present_illness"),
        ("History of Present Illness", "history_of_present_illness"),
        ("既往史", "past_history"), ("Past Medical History", "past_history"), ("个人史及家族史", "past_history"),
        ("体格检查", "physical_exam"), ("(五) 查体", "physical_exam"), ("PHYSICAL EXAMINATION", "physical_exam"),
        ("实验室检查", "lab_results"), ("6. Laboratory Data", "lab_results"), ("检验结果", "lab_results"),
        ("影像学检查", "imaging"), ("检查所见", "imaging"), ("Imaging Studies", "imaging"),
        ("出院诊断", "diagnosis"), ("诊断意见", "diagnosis"), ("Discharge Diagnoses", "diagnosis"), ("Impression", "diagnosis"),
        ("出院医嘱", "discharge_orders"), ("Discharge Instructions", "discharge_orders"),
        ("基本信息", "basic_info"), ("1. Patient Information", "basic_info"),
        ("备注", "other"), ("检查项目", "other"), ("签名", "other"), ("Signature", "other"),
    ])
    func mapping(heading: String, canonical: String) {
        #expect(SectionMapping.standard.field(for: heading).rawValue == canonical)
    }

    @Test("A site table adds headings without code")
    func siteTable() {
        var mapping = SectionMapping.standard
        #expect(mapping.field(for: "病程小结") == .other)
        mapping.add(tsv: "# site additions\nhistory_of_present_illness\t病程小结\n")
        #expect(mapping.field(for: "病程小结") == .historyOfPresentIllness)
    }

    @Test("Latin variants match whole words only")
    func wholeWords() {
        // "exam" inside "example" and "plan" inside "planar" must not match.
        #expect(SectionMapping.standard.field(for: "Example text") == .other)
        #expect(SectionMapping.standard.field(for: "Planar view") == .other)
    }
}
