public import Core

/// What follows a label, and so how its value is read.
public enum ValueShape: Sendable, Hashable {
    /// Record-style identifiers: letters, digits and single inner `-` or space.
    case identifier
    case personName
    case date
    case age
    case address
    case phone
    case cardNumber
    case residentID
    case ssn
    case plate
    case hospital
}

/// A field label such as `住院号` or `Medical Record Number`, and the kind of its value.
public struct FieldLabel: Sendable, Hashable {
    public var text: String
    public var kind: EntityKind
    public var shape: ValueShape

    public init(_ text: String, _ kind: EntityKind, _ shape: ValueShape) {
        self.text = text
        self.kind = kind
        self.shape = shape
    }

    /// Labels are matched with spaces removed and ASCII lower-cased, so OCR's stray spaces
    /// (`门 诊号`, `Patient Nam e`) and `【姓  名】` still match.
    var key: [UInt32] {
        [UInt32](literal: text).compactMap { CharClass.isSpace($0) ? nil : CharClass.lowercased($0) }
    }
}

/// The built-in field labels, Chinese and English, as real forms print them.
public enum FieldLabels {
    public static let standard: [FieldLabel] = {
        var labels: [FieldLabel] = []
        func add(_ kind: EntityKind, _ shape: ValueShape, _ texts: [String]) {
            labels += texts.map { FieldLabel($0, kind, shape) }
        }
        add(.medicalRecordNumber, .identifier, [
            "住院号", "门诊号", "病案号", "病历号", "就诊卡号", "就诊号", "检查号", "影像号", "放射号", "登记号",
            "住院病案号", "门诊病历号", "诊疗卡号", "就诊卡", "病人ID", "患者ID", "病人编号", "患者编号", "申请单号",
            "超声号", "CT号", "MR号", "X线号", "病理号", "住院流水号", "健康档案号",
            "MRN", "MRN#", "MR#", "Medical Record Number", "Medical Record No", "Medical Record #", "Medical Record",
            "Record Number", "Accession", "Accession #", "Accession No", "Accession Number", "Patient ID",
            "Chart Number", "Chart #", "Encounter #", "Encounter Number", "Visit Number", "Case Number", "Hospital Number",
        ])
        add(.healthInsuranceNumber, .identifier, [
            "医保卡号", "医保号", "医保编号", "社保卡号", "社保号", "社会保障卡号", "医疗保险号", "参保号", "新农合号", "医保账号",
            "Member ID", "Member #", "Member Number", "Insurance", "Insurance ID", "Insurance Number", "Insurance No",
            "Policy #", "Policy Number", "Policy No", "Medicare ID", "Medicare #", "Medicare Number", "Medicaid ID",
            "Subscriber ID", "Health Plan ID", "Beneficiary ID",
        ])
        add(.idNumber, .residentID, ["身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码", "证件号", "ID Card", "ID card No"])
        add(.phoneNumber, .phone, [
            "电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "座机", "传真", "随访联系电话",
            "Tel", "Tel.", "Phone", "Telephone", "Mobile", "Cell", "Fax", "Contact", "Contact number", "Phone number",
        ])
        add(.usSSN, .ssn, ["SSN", "SSN#", "Social Security Number", "Social Security No", "Social Security #"])
        add(.passport, .identifier, ["护照号", "护照号码", "护照", "Passport", "Passport No", "Passport Number", "Passport #"])
        add(.bankCard, .cardNumber, ["银行卡号", "银行卡", "银行账号", "卡号", "Card Number", "Card on file", "Card No"])
        add(.licensePlate, .plate, ["车牌号", "车牌号码", "车牌", "License Plate", "Plate", "Plate Number"])
        add(.person, .personName, [
            "姓名", "患者姓名", "病人姓名", "医师签名", "签名", "医师", "医生", "检验者", "审核者", "检验医师", "报告医师",
            "审核医师", "记录医师", "转诊医师", "主治医师", "经治医师", "住院医师", "主任医师", "责任护士", "护士",
            "联系人", "监护人", "报告人", "检查医师", "申请医师", "送检医师", "操作者", "操作医师", "书写医师", "签发医师",
            "Name", "Patient Name", "Patient", "Pt", "Pt Name", "Mother", "Father", "Spouse", "Next of Kin", "Attending Physician", "Attending", "Physician", "Dictated by",
            "Signed by", "Electronically signed by", "Referring Physician", "Ordering Physician", "Provider",
            "Emergency Contact", "Guarantor", "Resident", "Nurse", "Reported by", "Reviewed by", "Read by",
        ])
        add(.date, .date, [
            "日期", "出生日期", "出生年月", "入院日期", "出院日期", "检查日期", "报告日期", "就诊日期", "采样时间", "报告时间",
            "手术日期", "送检日期", "接收时间", "审核时间", "入院时间", "出院时间", "签发日期",
            "DOB", "Date of Birth", "Birth Date", "Date", "Admission Date", "Date of Admission", "Discharge Date",
            "Date of Discharge", "Exam Date", "Date of Exam", "Study Date", "Report Date", "Signed", "Date of Service",
            "Visit Date", "Surgery Date", "Collection Date",
        ])
        add(.age, .age, ["年龄", "Age", "aged"])
        add(.address, .address, [
            "地址", "住址", "家庭住址", "现住址", "户籍地址", "联系地址", "居住地址", "通讯地址", "工作单位地址",
            "Address", "Home Address", "Home address", "Mailing Address",
        ])
        add(.hospital, .hospital, ["医院名称", "就诊医院", "送检医院", "Facility"])
        add(.deviceID, .identifier, ["序列号", "设备序列号", "Serial Number", "Serial No", "S/N", "SN"])
        return labels
    }()
}
