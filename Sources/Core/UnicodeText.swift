/// Conversions between `String` and code-point offsets, the one offset convention MedLocal uses.
public extension String {
    /// The number of Unicode code points (what Python's `len` counts).
    var codePointCount: Int { unicodeScalars.count }

    /// The substring covering code points `range` (clamped to the string).
    func slice(codePoints range: Range<Int>) -> String {
        let scalars = unicodeScalars
        let lower = max(0, min(range.lowerBound, scalars.count))
        let upper = max(lower, min(range.upperBound, scalars.count))
        let start = scalars.index(scalars.startIndex, offsetBy: lower)
        let end = scalars.index(start, offsetBy: upper - lower)
        return String(scalars[start..<end])
    }
}
