@testable import Documents
import Testing

@Suite("Second readings: decimal points the models drop")
struct DecimalPointReadingTests {
    @Test("Lab values and ranges are looked at again; identifiers, dates and words are not",
          arguments: [("92", true), ("205", true), ("3.4-205", true), ("1100", true), ("7", false), ("9.2", false),
                      ("86778051", false), ("2023-08-04", false), ("10^9/L", false), ("mg/L", false), ("", false)])
    func candidates(word: String, expected: Bool) {
        #expect(EnglishSecondReading.mayHaveLostAPoint(word) == expected)
    }

    @Test("A reading is taken only when it adds points between digits and changes nothing else",
          arguments: [("9.2", "92", true), ("3.4-20.5", "3.4-205", true), ("110.0", "1100", true),
                      ("92", "92", false), ("9.3", "92", false), (".92", "92", false), ("92.", "92", false),
                      ("9..2", "92", false), ("3.4-205", "3.4-205", false), ("34-205", "3.4-205", false)])
    func acceptance(reading: String, original: String, expected: Bool) {
        #expect(EnglishSecondReading.addsDecimalPoints(reading, to: original) == expected)
    }
}

@Suite("Second readings: short words the Chinese model is unsure of")
struct UnsureShortWordTests {
    @Test("A second reading is taken when it is a lab unit, a number of two or more digits or a range",
          arguments: [("g/L", true), ("%", true), ("fL", true), ("8.7", true), ("15", true), ("3.4-20.5", true),
                      ("4", false), ("gL", false), ("Tom", false), ("", false)])
    func acceptedReadings(text: String, expected: Bool) {
        #expect(EnglishSecondReading.isLabValueOrUnit(text) == expected)
    }
}
