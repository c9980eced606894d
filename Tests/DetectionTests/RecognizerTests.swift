import Core
import Detection
import Testing

@Suite("Recognizers find PHI in Chinese, English and mixed text")
struct RecognizerTests {
    static let positives: [Case] = [
        // Resident IDs, with full-width digits and lowercase x.
        Case(text: "身份证号：11010519491231002X，", kind: "ID_NUMBER", value: "11010519491231002X"),
        Case(text: "身份证号码：１１０１０５１９４９１２３１００２Ｘ", kind: "ID_NUMBER", value: "１１０１０５１９４９１２３１００２Ｘ"),
        Case(text: "证件 11010519491231002x 已核对", kind: "ID_NUMBER", value: "11010519491231002x"),
        // Phones: CN mobile, landline, US.
        Case(text: "联系电话：139-0731-2468。", kind: "PHONE_NUMBER", value: "139-0731-2468"),
        Case(text: "电话(0731)84327788", kind: "PHONE_NUMBER", value: "(0731)84327788"),
        Case(text: "Call (415) 555-0134 with questions.", kind: "PHONE_NUMBER", value: "(415) 555-0134"),
        Case(text: "Tel +1 650 253 0000", kind: "PHONE_NUMBER", value: "+1 650 253 0000"),
        Case(text: "call 001-963-449-4029x4509 now", kind: "PHONE_NUMBER", value: "001-963-449-4029x4509"),
        Case(text: "Relative: 610.721.9510x185.", kind: "PHONE_NUMBER", value: "610.721.9510x185"),
        Case(text: "Tel +1-587-287-3294x3531", kind: "PHONE_NUMBER", value: "+1-587-287-3294x3531"),
        Case(text: "手机号：＋８６ １３８０７３１２４６８", kind: "PHONE_NUMBER", value: "＋８６ １３８０７３１２４６８"),
        // Record numbers by label, in several layouts.
        Case(text: "住院号：ZY20250318077\n", kind: "MEDICAL_RECORD_NUMBER", value: "ZY20250318077"),
        Case(text: "门 诊号：MZ-2025-0042 科室：内科", kind: "MEDICAL_RECORD_NUMBER", value: "MZ-2025-0042"),
        Case(text: "MRN 00549080, admitted", kind: "MEDICAL_RECORD_NUMBER", value: "00549080"),
        Case(text: "姓名      住院号\n张三      ZY998877\n", kind: "MEDICAL_RECORD_NUMBER", value: "ZY998877"),
        Case(text: "医保卡号：7816 7839 5941   科室", kind: "HEALTH_INSURANCE_NUMBER", value: "7816 7839 5941"),
        Case(text: "Member ID: 6S40-HR2-GQ19\n", kind: "HEALTH_INSURANCE_NUMBER", value: "6S40-HR2-GQ19"),
        // Names: labels, 【】 labels, triggers, titles, compound surnames, minority names, pinyin, honorifics.
        Case(text: "【姓  名】欧阳建华\n", kind: "PERSON", value: "欧阳建华"),
        // OCR reads a label's colon as a semicolon.
        Case(text: "检验者:程亮  审核者;王帅\n", kind: "PERSON", value: "王帅"),
        Case(text: "住院号；ZY20250318077\n", kind: "MEDICAL_RECORD_NUMBER", value: "ZY20250318077"),
        Case(text: "患者姓名：阿依古丽·买买提   性别：女", kind: "PERSON", value: "阿依古丽·买买提"),
        Case(text: "由冶秀珍主治医师查房", kind: "PERSON", value: "冶秀珍"),
        Case(text: "家属张婷联系电话13807312468", kind: "PERSON", value: "张婷"),
        Case(text: "请贵院匡帆主任惠予诊治", kind: "PERSON", value: "匡帆"),
        Case(text: "患者王华（Fang Huang），男", kind: "PERSON", value: "Fang Huang"),
        Case(text: "seen by Dr. Jones in clinic", kind: "PERSON", value: "Jones"),
        Case(text: "-- Daniel Williamson, MD\n", kind: "PERSON", value: "Daniel Williamson"),
        Case(text: "lives with his mother, Michael Santos.", kind: "PERSON", value: "Michael Santos"),
        Case(text: "Patient Name: Kayla P. Banks   DOB", kind: "PERSON", value: "Kayla P. Banks"),
        // Dates in many forms.
        Case(text: "入院日期：2024-10-5\n", kind: "DATE", value: "2024-10-5"),
        Case(text: "于2019年11月13日入院", kind: "DATE", value: "2019年11月13日"),
        Case(text: "患者于2023年10月无明显诱因", kind: "DATE", value: "2023年10月"),
        Case(text: "DOB: 29-May-2016", kind: "DATE", value: "29-May-2016"),
        Case(text: "on August 14, 1970.", kind: "DATE", value: "August 14, 1970"),
        Case(text: "seen in clinic on 9/2016 and", kind: "DATE", value: "9/2016"),
        Case(text: "复查日期：２０２１-０３-１３", kind: "DATE", value: "２０２１-０３-１３"),
        // Ages.
        Case(text: "男，67岁，", kind: "AGE", value: "67岁"),
        Case(text: "a 67-year-old male", kind: "AGE", value: "67-year-old"),
        Case(text: "Age: 50\n", kind: "AGE", value: "50"),
        // Addresses.
        Case(text: "住址：湖南省长沙市岳麓区麓山南路128号枫林小区3栋2单元501室。", kind: "ADDRESS", value: "湖南省长沙市岳麓区麓山南路128号枫林小区3栋2单元501室"),
        Case(text: "He lives at 805 Antonio Spurs, Salazarborough, OH 47844 with his wife.", kind: "ADDRESS", value: "805 Antonio Spurs, Salazarborough, OH 47844"),
        Case(text: "Clinic | Austin, TX | Main", kind: "ADDRESS", value: "Austin, TX"),
        // Hospitals.
        Case(text: "曾在株洲市肿瘤医院就诊", kind: "HOSPITAL", value: "株洲市肿瘤医院"),
        Case(text: "沈阳和平区人民医院\n出院小结", kind: "HOSPITAL", value: "沈阳和平区人民医院"),
        Case(text: "transferred from St. Kevin's Medical Center for", kind: "HOSPITAL", value: "St. Kevin's Medical Center"),
        Case(text: "Mercy Hospital of Barbarafurt\n", kind: "HOSPITAL", value: "Mercy Hospital of Barbarafurt"),
        // Other identifiers.
        Case(text: "email lei84@example.org。", kind: "EMAIL_ADDRESS", value: "lei84@example.org"),
        Case(text: "主页：https://portal.example.com/records?pid=32916469\n", kind: "URL", value: "https://portal.example.com/records?pid=32916469"),
        Case(text: "登录IP：192.168.225.102\n", kind: "IP_ADDRESS", value: "192.168.225.102"),
        Case(text: "银行卡号4539 5787 6362 1486，", kind: "BANK_CARD", value: "4539 5787 6362 1486"),
        Case(text: "SSN: 294-43-4808\n", kind: "US_SSN", value: "294-43-4808"),
        Case(text: "护照号：E71792686，", kind: "PASSPORT", value: "E71792686"),
        Case(text: "车牌号：粤B·D12345\n", kind: "LICENSE_PLATE", value: "粤B·D12345"),
        Case(text: "Parking permit plate PXW-4917\n", kind: "LICENSE_PLATE", value: "PXW-4917"),
        Case(text: "Patient: José Núñez was seen.", kind: "PERSON", value: "José Núñez"),
        Case(text: "Name: Jacobo N. de la Garza\n", kind: "PERSON", value: "Jacobo N. de la Garza"),
        Case(text: "家属热依拉·吐尔逊联系电话", kind: "PERSON", value: "热依拉·吐尔逊"),
        Case(text: "患者邹怡行，男，21岁", kind: "PERSON", value: "邹怡行"),
        Case(text: "身份证号：110105491231002\n", kind: "ID_NUMBER", value: "110105491231002"),
        // After its label a resident ID is one even when a character was mistyped or misread by OCR.
        Case(text: "身份证号：110105194912310021\n", kind: "ID_NUMBER", value: "110105194912310021"),
        Case(text: "身份证号: 52011519480719283 ”联系电话", kind: "ID_NUMBER", value: "52011519480719283"),
        Case(text: "患者于10月5日入院", kind: "DATE", value: "10月5日"),
        Case(text: "a man aged 67 presented", kind: "AGE", value: "67"),
        Case(text: "Clinic | North Jacobberg, MD | Main", kind: "ADDRESS", value: "North Jacobberg, MD"),
        Case(text: "seen b y D r. Davidson in clinic", kind: "PERSON", value: "Davidson"),
        Case(text: "Dear Dr. O,\n\nThank you", kind: "PERSON", value: "O"),
    ]

    @Test("Finds the identifier", arguments: positives)
    func findsIdentifier(_ c: Case) {
        let found = detected(c.text)
        #expect(contains(found, c.kind, c.value), "found \(found)")
    }

    static let nearMisses: [NearMiss] = [
        NearMiss(text: "条码 110105194912310021 已核对", notPHI: "110105194912310021", why: "An unlabelled 18-digit number with a bad check digit is not a resident ID"),
        NearMiss(text: "耗材追溯码：851017542830469001（呼吸机）", notPHI: "851017542830469001", why: "An 18-digit traceability code is not PHI"),
        NearMiss(text: "白细胞计数 5.5 ×10⁹/L 参考 4.0-10.0", notPHI: "4.0-10.0", why: "Reference ranges are not dates or numbers of interest"),
        NearMiss(text: "BP 135/85 mmHg, HR 88", notPHI: "135/85", why: "Blood pressure is not a date"),
        NearMiss(text: "试剂批号：15809399546    质控：在控", notPHI: "15809399546", why: "A reagent lot that looks like a mobile number is not a phone"),
        NearMiss(text: "POC glucose reagent lot: 13230259265\n", notPHI: "13230259265", why: "An English lot number is not a phone"),
        NearMiss(text: "根据2017年ACC/AHA高血压指南", notPHI: "2017年", why: "A guideline year is not a date"),
        NearMiss(text: "参考2020年版指南", notPHI: "2020年", why: "A guideline edition is not a date"),
        NearMiss(text: "床号：12\n", notPHI: "12", why: "A bed number is not PHI"),
        NearMiss(text: "出院诊断：马方综合征（Q87.4）", notPHI: "Q87.4", why: "ICD-10 codes are not PHI"),
        NearMiss(text: "Dx: Parkinson's disease (G20)", notPHI: "Parkinson", why: "An eponymous disease is not a person"),
        NearMiss(text: "自服王氏保赤丸 1支 bid", notPHI: "王氏", why: "王氏 in a remedy name is not a person"),
        NearMiss(text: "C反应蛋白(CRP)        4.3       mg/L", notPHI: "CRP", why: "A lab abbreviation in brackets is not a romanised name"),
        NearMiss(text: "住院期间由张丽主治医师及胡桂荣主任医师查房", notPHI: "查房", why: "The word after a title is not a name"),
        NearMiss(text: "-- Daniel Williamson, MD\n", notPHI: "Daniel Williamson, MD", why: "A name with MD is not a Maryland address"),
    ]

    @Test("Does not report a clinical look-alike", arguments: nearMisses)
    func nearMiss(_ m: NearMiss) {
        let found = detected(m.text)
        #expect(!found.contains { $0.1.contains(m.notPHI) }, "found \(found)")
    }

    @Test("Text across line breaks: a header row's label finds its value on the next row")
    func valueOnNextRow() {
        let text = "姓名      门诊号        性别\n李四      MZ20250042    男\n"
        let found = detected(text)
        #expect(contains(found, "PERSON", "李四"))
        #expect(contains(found, "MEDICAL_RECORD_NUMBER", "MZ20250042"))
    }

    @Test("A name found by its label is found again in the narrative")
    func propagation() {
        let text = "患者姓名：郗晓\n入院情况：郗晓，女，54岁。\nName: Grant Kim\nGrant Kim is a 14-year-old."
        let found = detected(text)
        #expect(found.filter { $0 == ("PERSON", "郗晓") }.count == 2)
        #expect(found.filter { $0 == ("PERSON", "Grant Kim") }.count == 2)
    }

    @Test("DEVICE_ID is off unless asked for")
    func deviceIDIsOptIn() {
        let text = "起搏器序列号SN2735705658示窦性心律"
        #expect(!detected(text).contains { $0.0 == "DEVICE_ID" })
        #expect(contains(detected(text, kinds: Set(EntityKind.all)), "DEVICE_ID", "SN2735705658"))
    }
}
