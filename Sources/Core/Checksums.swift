/// Check digits of the identifier formats MedLocal both recognises (Detection) and fabricates
/// (Anonymization's surrogates). One implementation, so a surrogate always passes the validator.
public enum Checksums {
    /// The GB 11643 MOD 11-2 check character (`0`–`9` or `X`) for the first 17 digits of a resident ID.
    public static func residentIDCheckCharacter(_ digits: some Collection<Int>) -> Character {
        residentIDCheckCharacters[residentIDCheckIndex(Array(digits))]
    }

    /// The check character's code point (`0x30`–`0x39` or `X`): the detection hot path compares code points.
    /// Inlinable and concrete: a generic `zip` across the module boundary showed in the scan profile.
    @inlinable public static func residentIDCheckScalar(_ digits: [Int]) -> UInt32 {
        let index = residentIDCheckIndex(digits)
        return index == 2 ? 0x58 : UInt32(0x30 + (index == 0 ? 1 : index == 1 ? 0 : 12 - index))
    }

    /// The weighted sum mod 11: the digit at position i (from the right, the check digit being 1) weighs 2^(i-1) mod 11.
    @inlinable static func residentIDCheckIndex(_ digits: [Int]) -> Int {
        var sum = 0, weight = 2
        var i = min(17, digits.count) - 1
        while i >= 0 {
            sum += digits[i] * weight
            weight = weight * 2 % 11
            i -= 1
        }
        return sum % 11
    }

    /// Built once: splitting the string into characters on every call showed in the server's profile.
    private static let residentIDCheckCharacters = Array("10X98765432")

    /// The Luhn (mod 10) sum of `digits`, the last one being the check digit; valid when it is 0.
    /// Concrete and inlinable for the same reason as `residentIDCheckScalar`.
    @inlinable public static func luhnRemainder(_ digits: [Int]) -> Int {
        var sum = 0, doubled = false
        var i = digits.count - 1
        while i >= 0 {
            let x = doubled ? digits[i] * 2 : digits[i]
            sum += x > 9 ? x - 9 : x
            doubled.toggle()
            i -= 1
        }
        return sum % 10
    }

    /// The digit that makes `digits + [check]` Luhn-valid.
    public static func luhnCheckDigit(_ digits: [Int]) -> Int {
        (10 - luhnRemainder(digits + [0])) % 10
    }
}
