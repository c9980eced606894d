import Foundation

/// Shifts DA and DT values by whole days, keeping their format (PS3.5 §6.2: DA `YYYYMMDD`, DT
/// `YYYYMMDDHHMMSS.FFFFFF&ZZXX`, and `A-B` ranges).
enum DICOMDates {
    static func shift(_ value: String, vr: DICOMVRKind, days: Int) -> String? {
        if value.contains("-"), vr == .date {
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            let shifted = parts.map { $0.isEmpty ? "" : shift(String($0), vr: vr, days: days) }
            return shifted.contains(where: { $0 == nil }) ? nil : shifted.map { $0! }.joined(separator: "-")
        }
        let scalars = Array(value.unicodeScalars)
        guard scalars.count >= 8, scalars.prefix(8).allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let datePart = String(String.UnicodeScalarView(scalars.prefix(8)))
        let rest = String(String.UnicodeScalarView(scalars.dropFirst(8)))
        guard let year = Int(datePart.prefix(4)), let month = Int(datePart.dropFirst(4).prefix(2)), let day = Int(datePart.suffix(2)) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              let moved = calendar.date(byAdding: .day, value: days, to: date) else { return nil }
        let parts = calendar.dateComponents([.year, .month, .day], from: moved)
        return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0) + rest
    }
}

enum DICOMVRKind { case date, dateTime }
