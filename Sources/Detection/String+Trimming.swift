/// Trims spaces at both ends (Detection does not import Foundation).
extension String {
    func trimmingSpaces() -> String {
        String(unicodeScalars.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed().map(Character.init))
    }
}
