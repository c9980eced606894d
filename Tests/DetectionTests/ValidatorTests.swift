import Detection
import Testing

@Suite("Checksum and calendar validators")
struct ValidatorTests {
    @Test("A resident ID with a valid MOD 11-2 check digit validates", arguments: ["11010519491231002X", "110105194912310021".dropLast() + "X", "440524188001010014"])
    func validResidentID(_ id: String) {
        #expect(ResidentIDValidator.validate(id.unicodeScalars.map(\.value)) == .valid)
    }

    @Test("A lowercase x check character is accepted")
    func lowercaseX() {
        #expect(ResidentIDValidator.validate("11010519491231002x".unicodeScalars.map(\.value)) == .valid)
    }

    @Test("Resident IDs are rejected for the right reason", arguments: [
        ("110105194912310021", ResidentIDValidator.Outcome.badCheckDigit),
        ("110105194913310028", .badBirthDate),
        ("990105194912310021", .unknownProvince),
        ("11010519491231002", .badLength),
    ])
    func invalidResidentID(_ id: String, _ outcome: ResidentIDValidator.Outcome) {
        #expect(ResidentIDValidator.validate(id.unicodeScalars.map(\.value)) == outcome)
    }

    @Test("Luhn accepts real card shapes and rejects one changed digit")
    func luhn() {
        let valid = "4539578763621486".compactMap(\.wholeNumberValue)
        #expect(LuhnValidator.isValid(valid))
        var broken = valid
        broken[5] = (broken[5] + 1) % 10
        #expect(!LuhnValidator.isValid(broken))
    }

    @Test("Calendar sanity knows leap years")
    func leapYears() {
        #expect(DateValidator.isPlausible(year: 2024, month: 2, day: 29))
        #expect(!DateValidator.isPlausible(year: 2023, month: 2, day: 29))
        #expect(!DateValidator.isPlausible(year: 2000, month: 13, day: 1))
    }
}
