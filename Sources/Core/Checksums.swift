/// Check digits of the identifier formats MedLocal both recognises (Detection) and fabricates
/// (Anonymization's surrogates). One implementation, so a surrogate always passes the validator.
public enum Checksums {
    private static let residentIDWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// The GB 11643 MOD 11-2 check character (`0`–`9` or `X`) for the first 17 digits of a resident ID.
    public static func residentIDCheckCharacter(_ digits: some Collection<Int>) -> Character {
        var sum = 0
        for (digit, weight) in zip(digits, residentIDWeights) { sum += digit * weight }
        return residentIDCheckCharacters[sum % 11]
    }

    /// Built once: splitting the string into characters on every call showed in the server's profile.
    private static let residentIDCheckCharacters = Array("10X98765432")

    /// The Luhn (mod 10) sum of `digits`, the last one being the check digit; valid when it is 0.
    public static func luhnRemainder(_ digits: some BidirectionalCollection<Int>) -> Int {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            let x = i % 2 == 1 ? d * 2 : d
            sum += x > 9 ? x - 9 : x
        }
        return sum % 10
    }

    /// The digit that makes `digits + [check]` Luhn-valid.
    public static func luhnCheckDigit(_ digits: [Int]) -> Int {
        (10 - luhnRemainder(digits + [0])) % 10
    }
}
